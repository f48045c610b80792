import AWSProtocol
/// PutRecords as typed values. The JSON wire decodes the common request shape straight into
/// these (no dictionary per record), and every encoding shares one implementation through them.
public struct PutRecordsInput {
    public struct Entry {
        public var data: [UInt8]
        public var partitionKey: String
        public var explicitHashKey: String?

        public init(data: [UInt8], partitionKey: String, explicitHashKey: String?) {
            self.data = data
            self.partitionKey = partitionKey
            self.explicitHashKey = explicitHashKey
        }
    }

    /// The members that name the stream (`StreamName` and/or `StreamARN`).
    public var stream: RequestMembers
    public var records: [Entry]

    public init(stream: RequestMembers, records: [Entry]) {
        self.stream = stream
        self.records = records
    }
}

public struct PutRecordsOutput {
    public enum Entry {
        case stored(shardID: String, sequenceNumber: String)
        case failed(code: String, message: String)
    }

    public var failedRecordCount: Int
    /// One per request entry, in request order.
    public var records: [Entry]

    public init(failedRecordCount: Int, records: [Entry]) {
        self.failedRecordCount = failedRecordCount
        self.records = records
    }
}
