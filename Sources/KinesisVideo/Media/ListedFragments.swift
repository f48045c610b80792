import Fragments

/// The fragments a GetMediaForFragmentList named, in the order named, each made into its
/// Matroska document when the response reaches it (one in memory at a time). Used by one task.
public final class ListedFragments: @unchecked Sendable {
    let records: [FragmentRecord]
    private let documents: FragmentDocuments

    init(records: [FragmentRecord], documents: FragmentDocuments) {
        self.records = records
        self.documents = documents
    }

    public var indices: Range<Int> { records.indices }

    public func document(_ index: Int) throws -> [UInt8] {
        try documents.document(records[index], after: [])
    }
}
