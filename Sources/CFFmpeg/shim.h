// The FFmpeg headers videod uses, plus the few macros Swift cannot import
// (function-like or computed constants) exposed as inline functions.
#ifndef VIDEOD_CFFMPEG_SHIM_H
#define VIDEOD_CFFMPEG_SHIM_H

#include <libavformat/avformat.h>
#include <libavformat/avio.h>
#include <libavcodec/avcodec.h>
#include <libavcodec/bsf.h>
#include <libswscale/swscale.h>
#include <libavutil/avutil.h>
#include <libavutil/error.h>
#include <libavutil/imgutils.h>
#include <libavutil/pixdesc.h>
#include <libavutil/frame.h>
#include <libavutil/log.h>
#include <libavutil/mem.h>
#include <libavutil/opt.h>
#include <libavutil/mathematics.h>

static inline int videod_averror_eof(void) { return AVERROR_EOF; }
static inline int videod_averror_eagain(void) { return AVERROR(EAGAIN); }
static inline int videod_averror_invaliddata(void) { return AVERROR_INVALIDDATA; }
static inline int videod_averror_eio(void) { return AVERROR(EIO); }
static inline int64_t videod_nopts_value(void) { return AV_NOPTS_VALUE; }
static inline int videod_av_time_base(void) { return AV_TIME_BASE; }
static inline int videod_ff_qp2lambda(void) { return FF_QP2LAMBDA; }

static inline const char *videod_error_string(int code, char *buf, size_t size) {
    return av_make_error_string(buf, size, code);
}

#endif
