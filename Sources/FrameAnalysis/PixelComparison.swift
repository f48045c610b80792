/// The motion detector's per-pixel pass: each pixel, brightness-corrected, against the background,
/// the last analysed frame and the frame `MotionDetector.movedSpan` back. It runs on every
/// analysed pixel, so it reads through buffer pointers and looks the corrections up (`undo`
/// tables) rather than dividing per pixel; the results are the same as the plain formulas.
enum PixelComparison {
    /// - Parameters:
    ///   - undo: `BrightnessFit.undoTable` of the fits to the background, the last frame and the
    ///     previous frame.
    ///   - previous: nil when the span reaches back only to the last frame.
    ///   - residuals: histogram of background residuals (0…255), added to.
    ///   - changed, moved, movedNow: per pixel (false where ignored): differs from the
    ///     background; from the last or the previous frame; from the last frame.
    static func compare(_ frame: [UInt8], background: [Float], last: [UInt8], previous: [UInt8]?,
                        undo: (background: [Double], last: [Double], previous: [Double]), ignored: [Bool],
                        threshold: Double, residuals: inout [Int],
                        changed: inout [Bool], moved: inout [Bool], movedNow: inout [Bool]) {
        let n = frame.count
        precondition(background.count == n && last.count == n && ignored.count == n && (previous?.count ?? n) == n
                     && changed.count == n && moved.count == n && movedNow.count == n && residuals.count == 256
                     && undo.background.count == 256 && undo.last.count == 256 && undo.previous.count == 256)
        let checkPrevious = previous != nil
        let previous = previous ?? last
        frame.withUnsafeBufferPointer { frame in
        background.withUnsafeBufferPointer { background in
        last.withUnsafeBufferPointer { last in
        previous.withUnsafeBufferPointer { previous in
        ignored.withUnsafeBufferPointer { ignored in
        undo.background.withUnsafeBufferPointer { undoBackground in
        undo.last.withUnsafeBufferPointer { undoLast in
        undo.previous.withUnsafeBufferPointer { undoPrevious in
        residuals.withUnsafeMutableBufferPointer { residuals in
        changed.withUnsafeMutableBufferPointer { changed in
        moved.withUnsafeMutableBufferPointer { moved in
        movedNow.withUnsafeMutableBufferPointer { movedNow in
            for i in 0..<n {
                if ignored[i] {
                    changed[i] = false
                    moved[i] = false
                    movedNow[i] = false
                    continue
                }
                let value = Int(frame[i])
                let residual = abs(undoBackground[value] - Double(background[i]))
                residuals[min(255, Int(residual))] += 1
                changed[i] = residual > threshold
                let now = abs(undoLast[value] - Double(last[i])) > threshold
                movedNow[i] = now
                moved[i] = now || (checkPrevious && abs(undoPrevious[value] - Double(previous[i])) > threshold)
            }
        }}}}}}}}}}}}
    }
}
