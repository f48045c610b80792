import CFFmpeg
import Foundation

/// Silences libav's stderr chatter except real errors; call once at start-up.
public enum MediaLogging {
    /// libav's own log is off unless VIDEOD_AV_LOG names a level (error, warning, info, debug).
    public static func quiet() {
        let levels = ["error": AV_LOG_ERROR, "warning": AV_LOG_WARNING, "info": AV_LOG_INFO, "debug": AV_LOG_DEBUG]
        let chosen = getenv("VIDEOD_AV_LOG").flatMap { levels[String(cString: $0)] } ?? AV_LOG_FATAL
        av_log_set_level(chosen)
    }
}
