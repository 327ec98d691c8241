import AMRCodec
import AMRWBTestEncoder
import AudioCodecs
import Foundation
import G729Codec
import GSMCodec
import OpusCodec
import SpeexCodec
import TestSupport

/// The library-backed decoders of the `codecs` section (SPEC §2.5): G.729 (bcg729), AMR and AMR-WB (opencore),
/// GSM (libgsm), Opus (libopus) and Speex (libspeex), each decoding about an hour of audio frame by frame through
/// ``AudioDecoder``, as the timeline will call them.
///
/// Ten seconds of the speech material are encoded once with each library's own encoder and the frames repeated to
/// the requested length (encoding an hour would take longer than decoding it; repeating valid frames is a valid
/// stream). With `--write-streams DIR` the same frames are written for ffmpeg: `x.g729` and `x.gsm` (raw),
/// `x.amr` and `x.awb` (RFC 4867 §5 storage files), `x.opus`, `x-nb.spx` and `x-wb.spx` (Ogg).
enum LibraryCodecBench {
    /// One codec as benchmarked.
    struct Case {
        var name: String
        var sampleRate: Int
        /// Samples one frame stands for.
        var frameSamples: Int
        /// Ten seconds of encoded frames.
        var frames: [CodecFrame]
        var makeDecoder: () -> any AudioDecoder
        /// The file for ffmpeg, from the frames repeated `count` times in all.
        var file: (name: String, bytes: ([[UInt8]]) -> [UInt8])
    }

    static func cases() -> [Case] {
        let narrowband = CodecBench.speechMaterial(sampleRate: 8000)
        let wideband = CodecBench.speechMaterial(sampleRate: 16000)
        let fullband = CodecBench.speechMaterial(sampleRate: 48000)
        func frames(_ encoded: [[UInt8]], samples: Int) -> [CodecFrame] {
            encoded.map { CodecFrame(kind: .speech, bytes: $0, sampleCount: samples) }
        }
        // The settings are valid; a failure is a broken bench, not a measurement.
        let opus = try! OpusEncoder(OpusEncoder.Settings()).encode(stream: fullband)
        return [
            Case(
                name: "g729_decode",
                sampleRate: 8000,
                frameSamples: 80,
                frames: frames(G729Encoder(annexB: false).encode(stream: narrowband), samples: 80),
                makeDecoder: { G729Decoder() },
                file: ("x.g729", { CodecStreamFile.raw($0) })
            ),
            Case(
                name: "amr_decode",
                sampleRate: 8000,
                frameSamples: 160,
                frames: frames(AMRNBEncoder(dtx: false).encode(stream: narrowband, mode: 7), samples: 160),
                makeDecoder: { AMRNBDecoder() },
                file: ("x.amr", { CodecStreamFile.amr($0, wideband: false) })
            ),
            Case(
                name: "amrwb_decode",
                sampleRate: 16000,
                frameSamples: 320,
                frames: frames(AMRWBEncoder(dtx: false).encode(stream: wideband, mode: 8), samples: 320),
                makeDecoder: { AMRWBDecoder() },
                file: ("x.awb", { CodecStreamFile.amr($0, wideband: true) })
            ),
            Case(
                name: "gsm_decode",
                sampleRate: 8000,
                frameSamples: 160,
                frames: frames(GSMEncoder().encode(stream: narrowband), samples: 160),
                makeDecoder: { GSMDecoder() },
                file: ("x.gsm", { CodecStreamFile.raw($0) })
            ),
            Case(
                name: "opus_decode_48k",
                sampleRate: 48000,
                frameSamples: 960,
                frames: frames(opus, samples: 960),
                makeDecoder: { try! OpusDecoder(sampleRate: 48000) },
                file: ("x.opus", { CodecStreamFile.oggOpus($0, packetSamples: $0.map { _ in 960 }, channels: 1) })
            ),
            // The same packets decoded at 16 kHz, the rate a call with an Opus leg is recorded at (SPEC §3.8).
            Case(
                name: "opus_decode_16k",
                sampleRate: 16000,
                frameSamples: 320,
                frames: frames(opus, samples: 320),
                makeDecoder: { try! OpusDecoder(sampleRate: 16000) },
                file: ("", { _ in [] })
            ),
            speex(.narrowband, material: narrowband, file: "x-nb.spx"),
            speex(.wideband, material: wideband, file: "x-wb.spx"),
            // G.726 and L16 (pure Swift, in AudioCodecs) take their place here.
        ]
    }

    static func speex(_ band: SpeexBand, material: [Int16], file: String) -> Case {
        let mode = band == .narrowband ? 0 : 1
        return Case(
            name: band == .narrowband ? "speex_nb_decode" : "speex_wb_decode",
            sampleRate: band.sampleRate,
            frameSamples: band.frameSamples,
            frames: SpeexEncoder(band: band).encode(stream: material).map {
                CodecFrame(kind: .speech, bytes: $0, sampleCount: band.frameSamples)
            },
            makeDecoder: { SpeexDecoder(band: band) },
            file: (
                file,
                {
                    CodecStreamFile.oggSpeex(
                        $0,
                        sampleRate: band.sampleRate,
                        mode: mode,
                        frameSamples: band.frameSamples,
                        framesPerPacket: 1
                    )
                }
            )
        )
    }

    static func run(minutes: Int, runs: Int, streamDirectory: String?) {
        for codec in cases() {
            let frameCount = minutes * 60 * codec.sampleRate / codec.frameSamples
            if let directory = streamDirectory, !codec.file.name.isEmpty {
                let repeated = (0..<frameCount).map { codec.frames[$0 % codec.frames.count].bytes }
                CodecBench.write(codec.file.bytes(repeated), to: directory + "/" + codec.file.name)
            }
            CodecBench.report(codec.name, samples: frameCount * codec.frameSamples, runs: runs) {
                var decoder = codec.makeDecoder()
                var output: [Int16] = []
                output.reserveCapacity(codec.frameSamples)
                var checksum = 0
                for index in 0..<frameCount {
                    output.removeAll(keepingCapacity: true)
                    decoder.decode(codec.frames[index % codec.frames.count], appendingTo: &output)
                    checksum &+= Int(output.last ?? 0)
                }
                return checksum
            }
        }
    }
}
