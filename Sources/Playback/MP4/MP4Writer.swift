/// Writes ISO-BMFF boxes: big-endian fields, boxes whose 32-bit size is filled in when their
/// body is done, full boxes with version and flags.
struct MP4Writer {
    private(set) var bytes: [UInt8] = []

    mutating func u8(_ value: UInt8) { bytes.append(value) }
    mutating func u16(_ value: UInt16) { append(UInt64(value), 2) }
    mutating func u32(_ value: UInt32) { append(UInt64(value), 4) }
    mutating func u64(_ value: UInt64) { append(value, 8) }
    mutating func i32(_ value: Int32) { u32(UInt32(bitPattern: value)) }
    mutating func raw(_ more: some Collection<UInt8>) { bytes.append(contentsOf: more) }
    mutating func zeros(_ count: Int) { bytes.append(contentsOf: repeatElement(0, count: count)) }

    mutating func fourCC(_ code: String) {
        let utf8 = Array(code.utf8)
        precondition(utf8.count == 4, "a four-character code")
        raw(utf8)
    }

    private mutating func append(_ value: UInt64, _ count: Int) {
        for shift in stride(from: (count - 1) * 8, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }

    mutating func box(_ type: String, _ body: (inout MP4Writer) -> Void) {
        let start = bytes.count
        u32(0)
        fourCC(type)
        body(&self)
        let size = UInt32(bytes.count - start)
        for index in 0..<4 { bytes[start + index] = UInt8(truncatingIfNeeded: size >> UInt32(24 - 8 * index)) }
    }

    mutating func fullBox(_ type: String, version: UInt8 = 0, flags: UInt32 = 0, _ body: (inout MP4Writer) -> Void) {
        box(type) { b in
            b.u8(version)
            b.u8(UInt8(truncatingIfNeeded: flags >> 16))
            b.u16(UInt16(truncatingIfNeeded: flags))
            body(&b)
        }
    }

    /// The unity transformation matrix of tkhd and mvhd.
    mutating func unityMatrix() {
        for value: UInt32 in [0x0001_0000, 0, 0, 0, 0x0001_0000, 0, 0, 0, 0x4000_0000] { u32(value) }
    }
}
