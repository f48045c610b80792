import Fragments
import Primitives

/// The JSON shape of one fragment in a listing.
struct FragmentDescription: Encodable {
    let number: String
    let producerTimestamp: Double
    let serverTimestamp: Double
    let producerTime: String
    let serverTime: String
    let duration: Double
    let size: Int64
    let discontinuity: Bool

    init(_ record: FragmentRecord) {
        number = String(record.number)
        producerTimestamp = Timestamp.seconds(record.producerStart)
        serverTimestamp = Timestamp.seconds(record.serverStart)
        producerTime = Timestamp.rfc3339(record.producerStart)
        serverTime = Timestamp.rfc3339(record.serverStart)
        duration = Double(record.duration) / 1_000_000
        size = record.size
        discontinuity = record.discontinuity
    }
}
