// swift-tools-version:6.1
// rtp2mp3: RTP captures to call recordings, as a CLI and as an AWS Lambda custom runtime.
//
// Layers (see README "How it works"): a lower layer never imports a higher one.
//   0 pure:  AudioCodecs, Capture, CallTimeline, SigV4           (no Foundation, no C, no I/O)
//   0 C:     CLame, CCurl, CZlib, CBcg729, COpus, COpenCoreAMRNB/WB, CGSM, CSpeex, CVoAMRWBEnc (system libraries)
//   1:       MP3Encoder (only user of CLame), HTTPClient (only user of CCurl), Gzip (only user of CZlib), the codec
//            wrappers G729Codec, OpusCodec, AMRCodec, GSMCodec, SpeexCodec and the test-only AMRWBTestEncoder (one C
//            library each)
//   2:       Transcoder, S3, Recordings (the run both front ends share), LambdaRuntime
//   3:       bootstrap (Lambda), rtp2mp3 (CLI), capture-synth (sample captures for the demo and benchmarks)
import PackageDescription

let strict: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "rtp2mp3",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "rtp2mp3", targets: ["rtp2mp3"]),
        .executable(name: "bootstrap", targets: ["bootstrap"]),
        .executable(name: "capture-synth", targets: ["capture-synth"]),
        .executable(name: "rtp2mp3-bench", targets: ["rtp2mp3-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        // Layer 0, pure.
        .target(name: "AudioCodecs", swiftSettings: strict),
        .target(name: "Capture", swiftSettings: strict),
        // CallTimeline's pass 2 feeds the quality meters and the picture as it renders (both pure, layer 0 too).
        .target(
            name: "CallTimeline",
            dependencies: ["Capture", "AudioCodecs", "PayloadFormats", "CallQuality", "CallPicture"],
            swiftSettings: strict
        ),
        .target(name: "SigV4", swiftSettings: strict),
        // Layer 0, pure too: call quality (E-model, loss pattern, talk time) and the picture of a call (SVG), both
        // fed by pass 2.
        .target(name: "CallQuality", swiftSettings: strict),
        .target(name: "CallPicture", dependencies: ["CallQuality"], swiftSettings: strict),
        // RTP payload formats: what a payload type carries (Codec) and how its payloads are cut into frames.
        .target(name: "PayloadFormats", dependencies: ["AudioCodecs"], swiftSettings: strict),

        // Layer 0, C system libraries.
        .systemLibrary(name: "CLame", pkgConfig: nil, providers: [.apt(["libmp3lame-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),

        // Layer 1, thin wrappers.
        .target(name: "MP3Encoder", dependencies: ["CLame"], swiftSettings: strict),
        .target(name: "HTTPClient", dependencies: ["CCurl"], swiftSettings: strict),
        .target(name: "Gzip", dependencies: ["CZlib"], swiftSettings: strict),

        // Codec libraries (SPEC §2.5): one C system library and one wrapper each; the wrapper is the only importer
        // of its C module, and its decoders conform to AudioCodecs' AudioDecoder. CVoAMRWBEnc and AMRWBTestEncoder
        // are test-only (TestSupport, tests and the bench encode AMR-WB; the product only decodes it).
        .systemLibrary(name: "CBcg729", pkgConfig: "libbcg729", providers: [.apt(["libbcg729-dev"])]),
        .systemLibrary(name: "COpus", pkgConfig: "opus", providers: [.apt(["libopus-dev"])]),
        .systemLibrary(
            name: "COpenCoreAMRNB",
            pkgConfig: "opencore-amrnb",
            providers: [.apt(["libopencore-amrnb-dev"])]
        ),
        .systemLibrary(
            name: "COpenCoreAMRWB",
            pkgConfig: "opencore-amrwb",
            providers: [.apt(["libopencore-amrwb-dev"])]
        ),
        .systemLibrary(name: "CGSM", pkgConfig: nil, providers: [.apt(["libgsm1-dev"])]),
        .systemLibrary(name: "CSpeex", pkgConfig: "speex", providers: [.apt(["libspeex-dev"])]),
        .systemLibrary(name: "CVoAMRWBEnc", pkgConfig: "vo-amrwbenc", providers: [.apt(["libvo-amrwbenc-dev"])]),
        .target(name: "G729Codec", dependencies: ["AudioCodecs", "CBcg729"], swiftSettings: strict),
        .target(name: "OpusCodec", dependencies: ["AudioCodecs", "COpus"], swiftSettings: strict),
        .target(
            name: "AMRCodec",
            dependencies: ["AudioCodecs", "COpenCoreAMRNB", "COpenCoreAMRWB"],
            swiftSettings: strict
        ),
        .target(name: "AMRWBTestEncoder", dependencies: ["CVoAMRWBEnc"], swiftSettings: strict),
        .target(name: "GSMCodec", dependencies: ["AudioCodecs", "CGSM"], swiftSettings: strict),
        .target(name: "SpeexCodec", dependencies: ["AudioCodecs", "CSpeex"], swiftSettings: strict),
        .testTarget(
            name: "CodecLibrariesTests",
            dependencies: [
                "AudioCodecs", "G729Codec", "OpusCodec", "AMRCodec", "AMRWBTestEncoder", "GSMCodec", "SpeexCodec",
                "Capture", "TestSupport",
            ],
            swiftSettings: strict
        ),

        // Layer 2, services.
        .target(
            name: "Transcoder",
            dependencies: [
                "Capture", "CallTimeline", "AudioCodecs", "MP3Encoder", "SigV4", "Gzip", "SecureRTP", "CallQuality",
                "PayloadFormats", "G729Codec", "OpusCodec", "AMRCodec", "GSMCodec", "SpeexCodec",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "S3",
            dependencies: ["HTTPClient", "SigV4", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
        // One capture's way from where it is to its outputs (spool, ingest, stage, commit), for both front ends.
        .target(
            name: "Recordings",
            dependencies: ["Transcoder", "S3", "CallTimeline", "SecureRTP"],
            swiftSettings: strict
        ),
        .target(
            name: "LambdaRuntime",
            dependencies: [
                "HTTPClient", "Transcoder", "S3", "SigV4", "CallTimeline", "Recordings",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),

        // Layer 3, executables.
        .executableTarget(
            name: "bootstrap",
            dependencies: [
                "LambdaRuntime", "S3", "Transcoder", "HTTPClient", .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "rtp2mp3",
            dependencies: [
                "Transcoder", "Recordings", "S3", "HTTPClient", "Capture", "CallTimeline", "SecureRTP",
                "PayloadFormats", "MP3Encoder",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "capture-synth",
            dependencies: ["TestSupport", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: strict
        ),

        // Micro-benchmarks printed by scripts/bench (codec throughput, reader and timeline packet rates, raw
        // stream extraction for the ffmpeg comparison).
        .executableTarget(
            name: "rtp2mp3-bench",
            dependencies: [
                "AudioCodecs", "Capture", "CallTimeline", "Transcoder", "TestSupport", "CallQuality", "CallPicture",
                "G729Codec", "OpusCodec", "AMRCodec", "AMRWBTestEncoder", "GSMCodec", "SpeexCodec",
            ],
            swiftSettings: strict
        ),

        // Fuzz targets (scripts/fuzz builds them with libFuzzer in .build-fuzz; a normal build makes reproducers
        // that run the same body over files). FuzzCDriver only declares libFuzzer's LLVMFuzzerRunDriver.
        .systemLibrary(name: "FuzzCDriver"),
        .target(name: "FuzzSupport", dependencies: ["FuzzCDriver"], swiftSettings: strict),
        .executableTarget(
            name: "FuzzCapture",
            dependencies: ["FuzzSupport", "Transcoder", "CallTimeline", "Capture", "SecureRTP"],
            swiftSettings: strict
        ),
        .executableTarget(name: "FuzzSignalling", dependencies: ["FuzzSupport", "Capture"], swiftSettings: strict),
        .executableTarget(name: "FuzzS3XML", dependencies: ["FuzzSupport", "S3"], swiftSettings: strict),
        .executableTarget(
            name: "FuzzLambdaEvent",
            dependencies: ["FuzzSupport", "LambdaRuntime"],
            swiftSettings: strict
        ),
        .executableTarget(name: "FuzzSeeds", dependencies: ["TestSupport", "Capture"], swiftSettings: strict),

        // SRTP (issue 15): libsrtp2 (layer 0, C) behind one wrapper (layer 1) that unprotects SRTP/SRTCP with keys
        // from the SDP, the command line or a key file; its fuzz target; its tests.
        .systemLibrary(name: "CSRTP", pkgConfig: "libsrtp2", providers: [.apt(["libsrtp2-dev"])]),
        .target(name: "SecureRTP", dependencies: ["CSRTP", "Capture", "CallTimeline"], swiftSettings: strict),
        .executableTarget(
            name: "FuzzSRTP",
            dependencies: ["FuzzSupport", "SecureRTP", "Capture"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "SecureRTPTests",
            dependencies: ["SecureRTP", "Capture", "CallTimeline", "AudioCodecs", "TestSupport"],
            swiftSettings: strict
        ),

        // Test-only support: capture writer, call synthesizer, signal synthesis, test data location.
        .target(
            name: "TestSupport",
            dependencies: [
                "Capture", "AudioCodecs", "PayloadFormats", "SecureRTP",
                // Synthetic calls in every codec, encoded by the libraries' own encoders (issue 14).
                "G729Codec", "OpusCodec", "AMRCodec", "AMRWBTestEncoder", "GSMCodec", "SpeexCodec",
            ],
            swiftSettings: strict
        ),

        .testTarget(name: "AudioCodecsTests", dependencies: ["AudioCodecs", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "CaptureTests", dependencies: ["Capture", "TestSupport"], swiftSettings: strict),
        .testTarget(
            name: "PayloadFormatsTests",
            dependencies: ["PayloadFormats", "AudioCodecs", "Capture", "TestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "CallTimelineTests",
            dependencies: [
                "CallTimeline", "Capture", "AudioCodecs", "CallQuality", "CallPicture", "TestSupport", "PayloadFormats",
            ],
            swiftSettings: strict
        ),
        .testTarget(name: "SigV4Tests", dependencies: ["SigV4", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "CallQualityTests", dependencies: ["CallQuality", "TestSupport"], swiftSettings: strict),
        .testTarget(
            name: "CallPictureTests",
            dependencies: ["CallPicture", "CallQuality", "TestSupport"],
            swiftSettings: strict
        ),
        .testTarget(name: "MP3EncoderTests", dependencies: ["MP3Encoder", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "HTTPClientTests", dependencies: ["HTTPClient", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "GzipTests", dependencies: ["Gzip", "TestSupport"], swiftSettings: strict),
        .testTarget(
            name: "TranscoderTests",
            dependencies: [
                "Transcoder", "TestSupport", "SecureRTP", "PayloadFormats", "AudioCodecs",
                "G729Codec", "OpusCodec", "AMRCodec", "GSMCodec", "SpeexCodec",
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "RecordingsTests",
            dependencies: [
                "Recordings", "Transcoder", "S3", "HTTPClient", "SigV4", "Capture", "TestSupport", "SecureRTP",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "S3Tests",
            dependencies: [
                "S3", "SigV4", "HTTPClient", "TestSupport", .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "LambdaRuntimeTests",
            dependencies: ["LambdaRuntime", "Transcoder", "CallTimeline", "S3", "SigV4", "TestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "TestSupport", "S3", "HTTPClient", "SigV4", "Capture", .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "HardeningTests",
            dependencies: [
                "Capture", "CallTimeline", "Transcoder", "SigV4", "S3", "HTTPClient", "Gzip", "TestSupport",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
    ]
)
