import AWSProtocol

/// GetDataEndpoint: every data-plane API is served here, at the base URL clients reach videod by.
extension VideoStreamService {
    static let apiNames: Set<String> = ["PUT_MEDIA", "GET_MEDIA", "LIST_FRAGMENTS", "GET_MEDIA_FOR_FRAGMENT_LIST",
                                        "GET_HLS_STREAMING_SESSION_URL", "GET_DASH_STREAMING_SESSION_URL", "GET_CLIP", "GET_IMAGES"]

    func getDataEndpoint(_ a: RequestMembers) throws -> AWSValue {
        _ = try resolveStream(a)
        let api = try a.required("APIName")
        guard Self.apiNames.contains(api) else {
            throw VideoStreamError.invalidArgument("APIName must be one of \(Self.apiNames.sorted().joined(separator: ", ")).")
        }
        return ["DataEndpoint": .string(dataEndpoint())]
    }
}
