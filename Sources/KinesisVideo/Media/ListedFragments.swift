import Fragments
import NIOCore

/// The fragments a GetMediaForFragmentList named, in the order named, made into Matroska
/// documents a batch at a time as the response reaches them. Used by one task.
public final class ListedFragments: @unchecked Sendable {
    let records: [FragmentRecord]
    private let documents: FragmentDocuments

    init(records: [FragmentRecord], documents: FragmentDocuments) {
        self.records = records
        self.documents = documents
    }

    public var count: Int { records.count }

    /// Documents from `start` on, about `FragmentDocuments.batchBytes` of them (at least one
    /// fragment), and the index to continue from.
    public func documents(from start: Int) throws -> (bytes: ByteBuffer, next: Int) {
        var buffer = FragmentDocuments.batchBuffer()
        var index = start
        while index < records.count && buffer.readableBytes < FragmentDocuments.batchBytes {
            try documents.append(records[index], after: [], to: &buffer)
            index += 1
        }
        return (buffer, index)
    }
}
