/// The files the codec tests and the bench hand to ffmpeg, holding the very frames our decoders decode.
public enum CodecStreamFile {
    /// Raw frames back to back: what ffmpeg's `g729` (10-byte frames) and `gsm` (33-byte frames) demuxers read.
    public static func raw(_ frames: [[UInt8]]) -> [UInt8] {
        frames.flatMap { $0 }
    }

    /// An AMR or AMR-WB storage file (RFC 4867 §5.1): the magic `#!AMR\n` or `#!AMR-WB\n`, then the frames in the
    /// storage format of §5.3, one per 20 ms.
    public static func amr(_ frames: [[UInt8]], wideband: Bool) -> [UInt8] {
        Array((wideband ? "#!AMR-WB\n" : "#!AMR\n").utf8) + frames.flatMap { $0 }
    }

    /// An Ogg Opus file (RFC 7845): the identification header (§5.1, pre-skip 0 so that decoders keep every sample,
    /// mapping family 0), the comment header (§5.2), then one packet per page. `packetSamples` gives each packet's
    /// duration at 48 kHz, for the granule positions (§4).
    public static func oggOpus(_ packets: [[UInt8]], packetSamples: [Int], channels: Int) -> [UInt8] {
        var writer = OggWriter()
        var head: [UInt8] = Array("OpusHead".utf8)
        head.append(1)  // version
        head.append(UInt8(channels))
        head += OggWriter.littleEndian(0, bytes: 2)  // pre-skip
        head += OggWriter.littleEndian(48000, bytes: 4)  // input sample rate (informational)
        head += OggWriter.littleEndian(0, bytes: 2)  // output gain
        head.append(0)  // channel mapping family 0: mono or stereo
        writer.appendPage(packet: head, granulePosition: 0)
        writer.appendPage(packet: Array("OpusTags".utf8) + vendorAndNoComments, granulePosition: 0)
        var granule: Int64 = 0
        for (index, packet) in packets.enumerated() {
            granule += Int64(packetSamples[index])
            writer.appendPage(packet: packet, granulePosition: granule, isLast: index == packets.count - 1)
        }
        return writer.bytes
    }

    /// An Ogg Speex file: the 80-byte Speex header (libspeex speex_header.h: mode 0/1/2 for narrowband, wideband,
    /// ultra-wideband, bitstream version 4), a comment packet, then one payload per page holding
    /// `framesPerPacket` frames of `frameSamples` each.
    public static func oggSpeex(
        _ payloads: [[UInt8]],
        sampleRate: Int,
        mode: Int,
        frameSamples: Int,
        framesPerPacket: Int
    ) -> [UInt8] {
        var writer = OggWriter()
        var header: [UInt8] = Array("Speex   ".utf8)
        header += Array("rtp2mp3-test".utf8) + [UInt8](repeating: 0, count: 20 - 12)  // speex_version[20]
        let fields: [Int] = [
            1,  // speex_version_id
            80,  // header_size
            sampleRate, mode,
            4,  // mode_bitstream_version
            1,  // nb_channels
            -1,  // bitrate unknown
            frameSamples,
            0,  // vbr
            framesPerPacket,
            0, 0, 0,  // extra_headers, reserved1, reserved2
        ]
        for field in fields { header += OggWriter.littleEndian(UInt64(bitPattern: Int64(field)), bytes: 4) }
        writer.appendPage(packet: header, granulePosition: 0)
        writer.appendPage(packet: vendorAndNoComments, granulePosition: 0)
        var granule: Int64 = 0
        for (index, payload) in payloads.enumerated() {
            granule += Int64(frameSamples * framesPerPacket)
            writer.appendPage(packet: payload, granulePosition: granule, isLast: index == payloads.count - 1)
        }
        return writer.bytes
    }

    /// A Vorbis-style comment block (RFC 7845 §5.2): vendor string, then zero user comments.
    private static var vendorAndNoComments: [UInt8] {
        let vendor = Array("rtp2mp3 tests".utf8)
        return OggWriter.littleEndian(UInt64(vendor.count), bytes: 4) + vendor + OggWriter.littleEndian(0, bytes: 4)
    }
}
