import Foundation
import MP3Encoder
import TestSupport
import Testing

/// The encoded files decode in the two decoders users have (ffmpeg/libavcodec, mpg123) without complaint, with
/// the right format and length, and the tones come out at the right level in the right channel.
@Suite("MP3Encoder: decoded by ffmpeg and mpg123", .enabled(if: ExternalTool.shouldRun("ffmpeg", "ffprobe", "mpg123")))
struct MP3DecodeTests {
    /// ffmpeg decodes without a message; ffprobe sees the channels and rate; the decoded length equals the input
    /// exactly when the LAME tag is there (libavcodec trims the encoder delay and padding it records), else it is
    /// every frame's samples; tone A is in the left channel and tone B in the right at the input level (±1 dB),
    /// each at least 30 dB below in the other channel.
    @Test("ffmpeg: format, length, tones, crosstalk", arguments: EncodeCase.all)
    func ffmpeg(_ encodeCase: EncodeCase) throws {
        let file = try encodeCase.encode()
        let url = try file.write()
        defer { try? FileManager.default.removeItem(at: url) }

        let probe = try ExternalTool.run(
            "ffprobe",
            ["-v", "error", "-show_entries", "stream=codec_name,sample_rate,channels", "-of", "csv=p=0", url.path]
        )
        #expect(probe.status == 0)
        #expect(probe.stderr.isEmpty, "ffprobe: \(probe.stderr)")
        let fields = String(decoding: probe.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(fields == "mp3,\(encodeCase.sampleRate),\(encodeCase.channels)")

        let decode = try ExternalTool.run("ffmpeg", ["-v", "error", "-i", url.path, "-f", "s16le", "-"])
        #expect(decode.status == 0)
        #expect(decode.stderr.isEmpty, "ffmpeg: \(decode.stderr)")
        let samples = Signal.int16LE(decode.stdout)
        let frames = samples.count / encodeCase.channels
        #expect(frames == (encodeCase.hasTag ? encodeCase.count : file.totalFrames * file.frameSize))

        try checkTones(Signal.deinterleave(samples, channels: encodeCase.channels), encodeCase)
    }

    /// mpg123 decodes without an error and gives the same format; with the LAME tag it is gapless too (the input
    /// length exactly), without it the length is the input's plus at most the delay and padding.
    @Test("mpg123: format and length", arguments: EncodeCase.all)
    func mpg123(_ encodeCase: EncodeCase) throws {
        let file = try encodeCase.encode()
        let url = try file.write()
        let wav = url.deletingPathExtension().appendingPathExtension("wav")
        defer {
            try? FileManager.default.removeItem(at: url)
            try? FileManager.default.removeItem(at: wav)
        }
        let decode = try ExternalTool.run("mpg123", ["-q", "-w", wav.path, url.path])
        #expect(decode.status == 0)
        #expect(decode.stderr.isEmpty, "mpg123: \(decode.stderr)")
        let bytes = [UInt8](try Data(contentsOf: wav))
        let riff = try #require(RIFFInfo(bytes))
        #expect(riff.channels == encodeCase.channels)
        #expect(riff.sampleRate == encodeCase.sampleRate)
        let frames = riff.dataSize / (2 * riff.channels)
        if encodeCase.hasTag {
            #expect(frames == encodeCase.count)
        } else {
            #expect(frames >= encodeCase.count && frames <= file.totalFrames * file.frameSize, "\(frames)")
        }
        let samples = Signal.int16LE(Data(bytes[riff.dataOffset...]))
        try checkTones(Signal.deinterleave(samples, channels: encodeCase.channels), encodeCase)
    }

    /// ffprobe's duration is the stream's frame count times the frame size, which it reads from the Xing/Info
    /// frame (without it, it would guess from the first frame's bitrate, wrong for VBR): the input's length plus
    /// the encoder delay and padding (not trimmed in the container duration, unlike in decoding), and the
    /// padding is less than two frames.
    @Test("ffprobe duration", arguments: EncodeCase.all)
    func duration(_ encodeCase: EncodeCase) throws {
        let file = try encodeCase.encode()
        try expectProbedDuration(file, sampleRate: encodeCase.sampleRate, inputCount: encodeCase.count)
    }

    /// VBR with a bitrate that varies a lot (silence, then loud noise): ffprobe's duration is still exact, which
    /// only the Xing frame count makes possible.
    @Test("ffprobe duration of a VBR stream of varying bitrate", arguments: [8000, 16000])
    func vbrDuration(sampleRate: Int) throws {
        var generator = SplitMix64(seed: 42)
        let silence = [Int16](repeating: 0, count: sampleRate * 2)
        let noise = (0..<sampleRate * 2).map { _ in Int16(truncatingIfNeeded: generator.next() % 20_000) &- 10_000 }
        let file = try EncodedFile.encode(
            left: silence + noise,
            right: noise + silence,
            sampleRate: sampleRate,
            mode: .vbr(quality: 2)
        )
        let bitrates = Set(
            sequence(first: file.tagSize + file.lameTagFrame.count) { offset in
                FrameHeader(file.bytes[offset...]).map { offset + $0.length }
            }
            .compactMap { FrameHeader(file.bytes[$0...])?.bitrateKbps }
        )
        #expect(bitrates.count > 1, "VBR chose one bitrate: \(bitrates)")
        try expectProbedDuration(file, sampleRate: sampleRate, inputCount: sampleRate * 4)
    }

    private func expectProbedDuration(_ file: EncodedFile, sampleRate: Int, inputCount: Int) throws {
        let url = try file.write()
        defer { try? FileManager.default.removeItem(at: url) }
        let probe = try ExternalTool.run(
            "ffprobe",
            ["-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", url.path]
        )
        #expect(probe.status == 0)
        #expect(probe.stderr.isEmpty, "ffprobe: \(probe.stderr)")
        let text = String(decoding: probe.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let duration = try #require(Double(text))
        let streamSeconds = Double(file.totalFrames * file.frameSize) / Double(sampleRate)
        #expect(abs(duration - streamSeconds) < 0.0005, "ffprobe \(duration) s, stream \(streamSeconds) s")
        #expect(file.totalFrames * file.frameSize == inputCount + file.encoderDelay + file.encoderPadding)
        #expect(file.encoderPadding < 2 * file.frameSize)
    }

    /// ffprobe (libavformat's ID3v2 reader) reads every frame of our tag: title, recording time, encoder
    /// settings, user texts, comment.
    @Test("ffprobe reads the ID3v2.4 tag")
    func id3() throws {
        let tag = ID3Tag(
            title: "call-42 ☎",
            recordingTime: 1_795_916_245,
            encoderSettings: "rtp2mp3 LAME 3.100 CBR 32 kbit/s",
            userTexts: [.init(description: "channel map", value: "left=caller right=callee")],
            comment: "test"
        )
        let encodeCase = EncodeCase(sampleRate: 8000, channels: 2, mode: nil, seconds: 1)
        let file = try EncodedFile.encode(left: encodeCase.left, right: encodeCase.right, sampleRate: 8000, tag: tag)
        let url = try file.write()
        defer { try? FileManager.default.removeItem(at: url) }
        let probe = try ExternalTool.run(
            "ffprobe",
            ["-v", "error", "-show_entries", "format_tags", "-of", "default=noprint_wrappers=1", url.path]
        )
        #expect(probe.status == 0)
        #expect(probe.stderr.isEmpty, "ffprobe: \(probe.stderr)")
        let lines = Set(String(decoding: probe.stdout, as: UTF8.self).split(separator: "\n").map(String.init))
        for expected in [
            "TAG:title=call-42 ☎", "TAG:date=2026-11-29T01:37:25", "TAG:encoder=rtp2mp3 LAME 3.100 CBR 32 kbit/s",
            "TAG:channel map=left=caller right=callee", "TAG:comment=test",
        ] {
            #expect(lines.contains(expected), "missing \(expected) in \(lines.sorted())")
        }
    }

    /// Tone A at the input level in the left channel, tone B in the right; the other tone 30 dB down or more.
    private func checkTones(_ channels: [[Int16]], _ encodeCase: EncodeCase) throws {
        try #require(channels.count == encodeCase.channels)
        let rate = encodeCase.sampleRate
        // The middle of the signal: away from the encoder's start-up and the flush.
        let range = rate / 4..<(encodeCase.count - rate / 4)
        let left = try #require(channels.first)
        try #require(left.count >= range.upperBound)
        let levelA = Signal.amplitude(of: encodeCase.frequencyA, in: left[range], sampleRate: rate)
        #expect(abs(Signal.decibels(levelA / EncodeCase.amplitude)) <= 1, "tone A at \(levelA)")
        guard encodeCase.channels == 2 else { return }
        let right = channels[1]
        try #require(right.count >= range.upperBound)
        let levelB = Signal.amplitude(of: encodeCase.frequencyB, in: right[range], sampleRate: rate)
        #expect(abs(Signal.decibels(levelB / EncodeCase.amplitude)) <= 1, "tone B at \(levelB)")
        let leakBIntoLeft = Signal.amplitude(of: encodeCase.frequencyB, in: left[range], sampleRate: rate)
        let leakAIntoRight = Signal.amplitude(of: encodeCase.frequencyA, in: right[range], sampleRate: rate)
        #expect(Signal.decibels(leakBIntoLeft / levelB) < -30, "B leaks into left at \(leakBIntoLeft)")
        #expect(Signal.decibels(leakAIntoRight / levelA) < -30, "A leaks into right at \(leakAIntoRight)")
    }
}

/// A small deterministic generator (SplitMix64, Steele, Lea and Flood 2014) for test noise.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// The format and data position of a canonical or extended RIFF/WAVE file (as mpg123 writes it).
struct RIFFInfo {
    var channels: Int
    var sampleRate: Int
    var dataOffset: Int
    var dataSize: Int

    init?(_ bytes: [UInt8]) {
        func le(_ offset: Int, _ width: Int) -> Int {
            (0..<width).reduce(0) { $0 | Int(bytes[offset + $1]) << (8 * $1) }
        }
        guard bytes.count >= 12, bytes[0..<4].elementsEqual("RIFF".utf8), bytes[8..<12].elementsEqual("WAVE".utf8)
        else { return nil }
        var offset = 12
        var channels: Int?
        var sampleRate: Int?
        while offset + 8 <= bytes.count {
            let size = le(offset + 4, 4)
            if bytes[offset..<offset + 4].elementsEqual("fmt ".utf8), offset + 16 <= bytes.count {
                channels = le(offset + 10, 2)
                sampleRate = le(offset + 12, 4)
            }
            if bytes[offset..<offset + 4].elementsEqual("data".utf8), let channels, let sampleRate {
                self.channels = channels
                self.sampleRate = sampleRate
                dataOffset = offset + 8
                dataSize = min(size, bytes.count - dataOffset)
                return
            }
            offset += 8 + size + (size & 1)
        }
        return nil
    }
}
