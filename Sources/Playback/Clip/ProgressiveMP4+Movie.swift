/// The `moov` of a progressive clip: movie header, then per track its header, an edit list that
/// keeps the tracks in step (and starts video at its first presentation time), and sample tables.
extension ProgressiveMP4 {
    static let movieTimescale: UInt64 = 1000

    /// - Parameter pieces: the mdat's chunks in file order: which track, how many samples, bytes.
    static func movie(_ tracks: [ClipTrack], pieces: [(track: Int, samples: Int, bytes: Int)], mdatStart: Int) -> [UInt8] {
        var tracks = tracks
        var offset = UInt64(mdatStart + 16)
        for piece in pieces {
            tracks[piece.track].chunkOffsets.append(offset)
            tracks[piece.track].samplesPerChunk.append(piece.samples)
            offset += UInt64(piece.bytes)
        }
        // Stored times come from outside (a damaged file can hold any value): no sum may trap.
        let earliest = tracks.map { $0.startSeconds() }.min() ?? 0
        let delays = tracks.map { UInt64(min(max(0, ($0.startSeconds() - earliest) * 1000), 1e15).rounded()) }
        let lengths = tracks.map { track in
            let scaled = track.totalDuration.multipliedReportingOverflow(by: movieTimescale)
            return scaled.overflow ? UInt64(1) << 50 : scaled.partialValue / UInt64(track.timescale)
        }
        let movieLength = zip(delays, lengths).map { $0.addingReportingOverflow($1).partialValue }.max() ?? 0
        var w = MP4Writer()
        w.box("moov") { moov in
            moov.fullBox("mvhd", version: 1) { b in
                b.u64(0); b.u64(0)
                b.u32(UInt32(movieTimescale)); b.u64(movieLength)
                b.u32(0x0001_0000); b.u16(0x0100); b.zeros(10)
                b.unityMatrix(); b.zeros(24)
                b.u32(UInt32(clamping: UInt64(tracks.map(\.id).max() ?? 0) + 1))
            }
            for (index, track) in tracks.enumerated() {
                moov.track(track, delay: delays[index], length: lengths[index])
            }
        }
        return w.bytes
    }
}

extension MP4Writer {
    fileprivate mutating func track(_ track: ClipTrack, delay: UInt64, length: UInt64) {
        box("trak") { trak in
            trak.fullBox("tkhd", version: 1, flags: 0x3) { b in
                b.u64(0); b.u64(0)
                b.u32(track.id); b.u32(0); b.u64(delay.addingReportingOverflow(length).partialValue)
                b.zeros(8); b.u16(0); b.u16(0)
                b.u16(track.kind == .audio ? 0x0100 : 0); b.u16(0)
                b.unityMatrix()
                b.u32(UInt32(clamping: track.width) << 16); b.u32(UInt32(clamping: track.height) << 16)
            }
            trak.box("edts") { edts in
                // A delayed start is an empty edit; video with B-frames starts at its first
                // presentation time, not at its first decode time.
                let firstOffset = max(0, track.compositionOffsets.first ?? 0)
                edts.fullBox("elst", version: 1) { b in
                    b.u32(delay > 0 ? 2 : 1)
                    if delay > 0 { b.u64(delay); b.u64(UInt64(bitPattern: -1)); b.u32(0x0001_0000) }
                    b.u64(length); b.u64(UInt64(firstOffset)); b.u32(0x0001_0000)
                }
            }
            trak.box("mdia") { mdia in
                mdia.fullBox("mdhd", version: 1) { b in
                    b.u64(0); b.u64(0)
                    b.u32(track.timescale); b.u64(track.totalDuration)
                    b.u16(0x55C4); b.u16(0)
                }
                mdia.fullBox("hdlr") { b in
                    b.u32(0); b.fourCC(track.kind == .video ? "vide" : "soun"); b.zeros(12)
                    b.raw(Array((track.kind == .video ? "VideoHandler" : "SoundHandler").utf8)); b.u8(0)
                }
                mdia.box("minf") { minf in
                    if track.kind == .video {
                        minf.fullBox("vmhd", flags: 1) { $0.zeros(8) }
                    } else {
                        minf.fullBox("smhd") { $0.zeros(4) }
                    }
                    minf.box("dinf") { dinf in
                        dinf.fullBox("dref") { b in
                            b.u32(1)
                            b.fullBox("url ", flags: 1) { _ in }
                        }
                    }
                    minf.sampleTables(track)
                }
            }
        }
    }

    fileprivate mutating func sampleTables(_ track: ClipTrack) {
        box("stbl") { stbl in
            stbl.raw(track.sampleDescription)
            let durations = ClipTrack.runs(track.timelineDurations)
            stbl.fullBox("stts") { b in
                b.u32(UInt32(durations.count))
                for run in durations { b.u32(run.count); b.u32(run.value) }
            }
            if track.compositionOffsets.contains(where: { $0 != 0 }) {
                let offsets = ClipTrack.runs(track.compositionOffsets.map { Int32(clamping: $0) })
                stbl.fullBox("ctts", version: offsets.contains { $0.value < 0 } ? 1 : 0) { b in
                    b.u32(UInt32(offsets.count))
                    for run in offsets { b.u32(run.count); b.i32(run.value) }
                }
            }
            if track.kind == .video && track.syncSamples.count < track.sampleCount {
                stbl.fullBox("stss") { b in
                    b.u32(UInt32(track.syncSamples.count))
                    for index in track.syncSamples { b.u32(UInt32(index)) }
                }
            }
            var chunkRuns: [(first: Int, samples: Int)] = []
            for (index, samples) in track.samplesPerChunk.enumerated() where chunkRuns.last?.samples != samples {
                chunkRuns.append((index + 1, samples))
            }
            stbl.fullBox("stsc") { b in
                b.u32(UInt32(chunkRuns.count))
                for run in chunkRuns { b.u32(UInt32(run.first)); b.u32(UInt32(run.samples)); b.u32(1) }
            }
            stbl.fullBox("stsz") { b in
                b.u32(0); b.u32(UInt32(track.sampleCount))
                for size in track.sizes { b.u32(size) }
            }
            stbl.fullBox("co64") { b in
                b.u32(UInt32(track.chunkOffsets.count))
                for offset in track.chunkOffsets { b.u64(offset) }
            }
        }
    }
}
