// swift-tools-version:6.2
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let grdb: Target.Dependency = .product(name: "GRDB", package: "GRDB.swift")
let logging: Target.Dependency = .product(name: "Logging", package: "swift-log")
let crypto: Target.Dependency = .product(name: "Crypto", package: "swift-crypto")
let hummingbird: Target.Dependency = .product(name: "Hummingbird", package: "hummingbird")

let package = Package(
    name: "videod",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "videod", targets: ["videod"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
    ],
    targets: [
        // Flow of data, top to bottom; each target names only what it may know (ARCHITECTURE.md).
        .systemLibrary(
            name: "CFFmpeg",
            pkgConfig: "libavformat libavcodec libswscale libavutil",
            providers: [.apt(["libavformat-dev", "libavcodec-dev", "libswscale-dev", "libavutil-dev"])]
        ),
        .target(name: "Primitives", swiftSettings: strict),
        .target(name: "Media", dependencies: ["CFFmpeg"], swiftSettings: strict),
        .target(
            name: "Fragments",
            dependencies: ["Primitives", grdb, logging],
            swiftSettings: strict
        ),
        .target(name: "Credentials", swiftSettings: strict),
        .target(
            name: "VideoIngest",
            dependencies: [
                "Media", "Fragments", "Credentials", "Primitives", crypto, logging,
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "FrameAnalysis",
            dependencies: ["Media", "Fragments", "VideoIngest", "Primitives", logging],
            swiftSettings: strict
        ),
        .target(
            name: "Playback",
            dependencies: ["Media", "Fragments", "Primitives", .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: strict
        ),
        .target(name: "AWSProtocol", dependencies: ["Credentials", "Primitives", crypto], swiftSettings: strict),
        .target(name: "DataStreams", dependencies: ["AWSProtocol", "Primitives", grdb, crypto], swiftSettings: strict),
        .target(
            name: "RouteSupport",
            dependencies: [
                "AWSProtocol", "Credentials", "Primitives", hummingbird, crypto,
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "NativeAPI",
            dependencies: [
                "Fragments", "VideoIngest", "FrameAnalysis", "Playback", "RouteSupport", "Primitives", hummingbird,
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "KDSAPI",
            dependencies: [
                "DataStreams", "AWSProtocol", "RouteSupport", hummingbird,
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "KinesisVideo",
            dependencies: [
                "AWSProtocol", "Fragments", "VideoIngest", "Playback", "Media", "Primitives", crypto,
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "KVSAPI",
            dependencies: [
                "KinesisVideo", "VideoIngest", "AWSProtocol", "RouteSupport", "Playback", hummingbird,
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "VideodServer",
            dependencies: [
                "NativeAPI", "KDSAPI", "KVSAPI", "KinesisVideo", "RouteSupport", "DataStreams", "FrameAnalysis", "VideoIngest", "Fragments", "Playback",
                "AWSProtocol", "Credentials", "Primitives", hummingbird, logging,
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "videod",
            dependencies: [
                "VideodServer", "AWSProtocol", "Credentials", "Fragments", "FrameAnalysis", "Media", "VideoIngest", logging,
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strict
        ),

        // What several test targets share: temporary directories, a seeded generator, a test clock.
        .target(name: "TestSupport", path: "Tests/TestSupport", swiftSettings: strict),
        .testTarget(name: "PrimitivesTests", dependencies: ["Primitives"], swiftSettings: strict),
        .testTarget(name: "MediaTests", dependencies: ["Media", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "FragmentsTests", dependencies: ["Fragments", "TestSupport", logging], swiftSettings: strict),
        .testTarget(
            name: "VideoIngestTests",
            dependencies: ["VideoIngest", "Media", "Fragments", "Credentials", "TestSupport",
                           .product(name: "NIOEmbedded", package: "swift-nio")],
            swiftSettings: strict),
        .testTarget(name: "FrameAnalysisTests", dependencies: ["FrameAnalysis", "Fragments", "TestSupport", logging], swiftSettings: strict),
        .testTarget(name: "PlaybackTests", dependencies: ["Playback", "Fragments", "Media", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "AWSProtocolTests", dependencies: ["AWSProtocol", "Credentials"], swiftSettings: strict),
        .testTarget(name: "DataStreamsTests", dependencies: ["DataStreams", "AWSProtocol", "Primitives", "TestSupport", grdb], swiftSettings: strict),
        .testTarget(name: "KinesisVideoTests", dependencies: ["KinesisVideo", "AWSProtocol"], swiftSettings: strict),
        .testTarget(name: "KDSAPITests", dependencies: ["KDSAPI", "DataStreams", "AWSProtocol", "Primitives"], swiftSettings: strict),
        .testTarget(
            name: "VideodServerTests",
            dependencies: [
                "VideodServer", "AWSProtocol", "Credentials", "TestSupport", "Fragments", hummingbird,
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: strict
        ),
    ]
)

// libFuzzer harnesses (`scripts/fuzz`): built only when asked for, with
// `-sanitize=fuzzer,address`, which links libFuzzer's driver.
if Context.environment["VIDEOD_FUZZ"] != nil {
    package.products.append(.executable(name: "videod-fuzz", targets: ["videod-fuzz"]))
    package.targets += [
        .target(name: "CFuzzer", path: "Fuzz/CFuzzer"),
        .executableTarget(
            name: "videod-fuzz",
            dependencies: ["CFuzzer", "VideoIngest", "AWSProtocol", "DataStreams", "KDSAPI", "Primitives", "FrameAnalysis",
                           "Media", "Playback", "Fragments", "KinesisVideo"],
            path: "Fuzz/Harnesses",
            swiftSettings: strict + [.unsafeFlags(["-parse-as-library"])]),
    ]
}
