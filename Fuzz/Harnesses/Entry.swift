import CFuzzer
import Foundation

/// One binary holds every harness; `FUZZ_TARGET` picks the one to run (`scripts/fuzz` sets it).
/// Built only with `VIDEOD_FUZZ=1` and `-sanitize=fuzzer,address`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    selected(bytes)
    return 0
}

/// SwiftPM links every executable with `main` aliased to `<module>_main`; whichever `main` the
/// linker keeps (this one or libFuzzer's), libFuzzer's driver runs the harness.
@_cdecl("videod_fuzz_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzOneInput(data, size) }
}

/// The harness named by `FUZZ_TARGET`, looked up once.
let selected: @Sendable ([UInt8]) -> Void = {
    let name = ProcessInfo.processInfo.environment["FUZZ_TARGET"] ?? ""
    guard let harness = Harnesses.all[name] else {
        FileHandle.standardError.write(Data("FUZZ_TARGET must be one of: \(Harnesses.all.keys.sorted().joined(separator: " "))\n".utf8))
        exit(2)
    }
    return harness
}()

enum Harnesses {
    static let all: [String: @Sendable ([UInt8]) -> Void] = [
        "rtsp": RTSPHarness.run,
        "sdp": SDPHarness.run,
        "rtp-h264": RTPHarness.h264,
        "rtp-h265": RTPHarness.h265,
        "rtp-aac": RTPHarness.aac,
        "rtcp": RTCPHarness.run,
        "matroska-clusters": MatroskaHarness.run,
        "json": JSONHarness.run,
        "putrecords-json": PutRecordsHarness.run,
        "cbor": CBORHarness.run,
        "base64": Base64Harness.run,
        "tokens": TokenHarness.run,
        "sigv4": SigV4Harness.run,
        "digest": DigestHarness.run,
        "timestamp": TimestampHarness.run,
        "settings": SettingsHarness.run,
        "retention": RetentionHarness.run,
        "sniff": SniffHarness.run,
        "mp4": MP4Harness.run,
        "mp4-legs": MP4LegsHarness.run,
        "nal-units": NALUnitsHarness.run,
        "adts": ADTSHarness.run,
        "session-token": SessionTokenHarness.run,
        "byte-range": ByteRangeHarness.run,
    ]
}

/// Splits fuzz input into pieces: each a 2-byte big-endian length and that many bytes (the
/// last piece takes what is left), so one input can be a sequence of packets or reads.
func pieces(_ bytes: [UInt8], maxCount: Int = 512) -> [ArraySlice<UInt8>] {
    var out: [ArraySlice<UInt8>] = []
    var i = 0
    while i < bytes.count, out.count < maxCount {
        guard i + 2 <= bytes.count else { out.append(bytes[i...]); break }
        let length = Int(bytes[i]) << 8 | Int(bytes[i + 1])
        i += 2
        let end = min(bytes.count, i + length)
        out.append(bytes[i..<end])
        i = end
    }
    return out
}

/// Fails the run (a crash libFuzzer records) when a property does not hold.
func require(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
    if !condition() { fatalError("property violated: \(message())") }
}
