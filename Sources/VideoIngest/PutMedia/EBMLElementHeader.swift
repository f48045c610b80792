/// An EBML element's header (RFC 8794): its ID (with the length marker kept, as Matroska IDs
/// are written) and its data size, nil when the size is "unknown" (all ones: a live stream's
/// Segment and Clusters).
struct EBMLElementHeader: Equatable {
    var id: UInt32
    var size: UInt64?
    /// Bytes the ID and size took.
    var length: Int

    enum Failure: Error, Equatable {
        /// Not EBML: an ID or size with no length marker, or an ID longer than 4 bytes.
        case malformed
    }

    /// The header at the start of `bytes`, nil if more bytes are needed.
    static func parse(_ bytes: ArraySlice<UInt8>) throws -> EBMLElementHeader? {
        guard let first = bytes.first else { return nil }
        let idLength = first.leadingZeroBitCount + 1
        guard first != 0, idLength <= 4 else { throw Failure.malformed }
        guard bytes.count > idLength else { return nil }
        var id: UInt32 = 0
        for byte in bytes.prefix(idLength) { id = id << 8 | UInt32(byte) }
        let sizeStart = bytes.startIndex + idLength
        let sizeFirst = bytes[sizeStart]
        let sizeLength = sizeFirst.leadingZeroBitCount + 1
        guard sizeFirst != 0 else { throw Failure.malformed }
        guard bytes.count >= idLength + sizeLength else { return nil }
        var size = UInt64(sizeFirst) & (0xFF >> UInt64(sizeLength))
        var allOnes = size == (0xFF >> UInt64(sizeLength))
        for byte in bytes[(sizeStart + 1)..<(sizeStart + sizeLength)] {
            size = size << 8 | UInt64(byte)
            allOnes = allOnes && byte == 0xFF
        }
        return EBMLElementHeader(id: id, size: allOnes ? nil : size, length: idLength + sizeLength)
    }
}
