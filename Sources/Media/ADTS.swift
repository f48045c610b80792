import CFFmpeg

/// AAC from MPEG-TS arrives as ADTS: each frame carries a 7- or 9-byte header and there is no
/// AudioSpecificConfig. MP4 wants the opposite, so the muxer builds the config from the codec
/// parameters and strips the headers (libav's automatic aac_adtstoasc does not run for
/// av_write_frame in FFmpeg 5.1).
enum ADTS {
    static let sampleRates = [96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350]

    /// A 2-byte AudioSpecificConfig; nil if the sample rate or channel count has no ADTS code.
    static func audioSpecificConfig(profile: Int32, sampleRate: Int32, channels: Int32) -> [UInt8]? {
        guard let rateIndex = sampleRates.firstIndex(of: Int(sampleRate)), (1...7).contains(channels) else { return nil }
        // Profile is the object type minus one; unknown (-99) means AAC LC, as nearly every camera sends.
        let objectType = profile >= 0 && profile <= 3 ? Int(profile) + 1 : 2
        let channelConfig = channels == 8 ? 7 : Int(channels)
        let value = objectType << 11 | rateIndex << 7 | channelConfig << 3
        return [UInt8(value >> 8), UInt8(value & 0xFF)]
    }

    /// Length of the ADTS header at the start of `packet`, or nil when it has none.
    static func headerLength(_ packet: UnsafeMutablePointer<AVPacket>) -> Int? {
        let size = Int(packet.pointee.size)
        guard size > 9, let data = packet.pointee.data, data[0] == 0xFF, data[1] & 0xF0 == 0xF0 else { return nil }
        let protectionAbsent = data[1] & 0x01 == 1
        return protectionAbsent ? 7 : 9
    }

    /// Gives the stream an AudioSpecificConfig if it is AAC without one.
    static func ensureConfig(_ parameters: UnsafeMutablePointer<AVCodecParameters>) {
        guard parameters.pointee.codec_id == AV_CODEC_ID_AAC, parameters.pointee.extradata_size == 0,
              let config = audioSpecificConfig(profile: parameters.pointee.profile, sampleRate: parameters.pointee.sample_rate,
                                               channels: parameters.pointee.ch_layout.nb_channels) else { return }
        try? CodecParameters.setExtradata(config, of: parameters) // out of memory: the muxer then reports the missing config
    }

    /// Drops the ADTS header in place (the packet's data pointer moves past it).
    static func strip(_ packet: UnsafeMutablePointer<AVPacket>) {
        guard let length = headerLength(packet) else { return }
        packet.pointee.data += length
        packet.pointee.size -= Int32(length)
    }
}
