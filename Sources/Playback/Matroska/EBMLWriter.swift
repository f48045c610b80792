/// Writes EBML elements (RFC 8794) as Matroska uses them: IDs with their length marker, sizes
/// as variable-length integers (8 bytes when a master's size is patched in later), unsigned
/// integers in as few bytes as they need.
struct EBMLWriter {
    private(set) var bytes: [UInt8] = []

    static let unknownSize: [UInt8] = [0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]

    mutating func id(_ id: UInt32) {
        let length = id > 0xFF_FFFF ? 4 : id > 0xFFFF ? 3 : id > 0xFF ? 2 : 1
        for shift in stride(from: (length - 1) * 8, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: id >> UInt32(shift))) }
    }

    /// Bytes the shortest vint for `value` takes (all ones is reserved for "unknown").
    static func sizeLength(_ value: Int) -> Int {
        var length = 1
        while length < 8 && UInt64(value) >= (UInt64(1) << (7 * UInt64(length))) - 1 { length += 1 }
        return length
    }

    /// A size as the shortest vint (values up to 2^56 − 2).
    mutating func size(_ value: Int) {
        let length = Self.sizeLength(value)
        let marked = UInt64(value) | (UInt64(1) << (7 * UInt64(length)))
        for shift in stride(from: (length - 1) * 8, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: marked >> UInt64(shift))) }
    }

    mutating func unsigned(_ id: UInt32, _ value: UInt64) {
        var payload: [UInt8] = []
        var rest = value
        repeat {
            payload.insert(UInt8(truncatingIfNeeded: rest), at: 0)
            rest >>= 8
        } while rest > 0
        binary(id, payload)
    }

    mutating func float(_ id: UInt32, _ value: Double) {
        let bits = value.bitPattern
        binary(id, (0..<8).map { UInt8(truncatingIfNeeded: bits >> (56 - 8 * UInt64($0))) })
    }

    mutating func string(_ id: UInt32, _ value: String) {
        binary(id, Array(value.utf8))
    }

    mutating func binary(_ id: UInt32, _ payload: [UInt8]) {
        self.id(id)
        size(payload.count)
        bytes += payload
    }

    /// A master element whose children `body` writes.
    mutating func master(_ id: UInt32, _ body: (inout EBMLWriter) -> Void) {
        var inner = EBMLWriter()
        body(&inner)
        binary(id, inner.bytes)
    }

    /// A master element of unknown size (a live Segment): its children simply follow.
    mutating func openMaster(_ id: UInt32) {
        self.id(id)
        bytes += Self.unknownSize
    }

    mutating func raw(_ more: some Collection<UInt8>) {
        bytes.append(contentsOf: more)
    }

    /// Bytes an element takes with a one-byte ID and a payload of `payload` bytes.
    static func elementLength(payload: Int) -> Int {
        1 + sizeLength(payload) + payload
    }

    /// Empties the writer, keeping its storage (one writer reused for many small headers).
    mutating func clear() {
        bytes.removeAll(keepingCapacity: true)
    }

    mutating func byte(_ value: UInt8) {
        bytes.append(value)
    }
}
