// libopus from Debian's libopus-dev; imported only by the OpusCodec target.
#include <opus/opus.h>

// opus_encoder_ctl and opus_decoder_ctl are variadic, which Swift cannot call: one typed wrapper per request used.
static inline int copus_encoder_set_bitrate(OpusEncoder *st, opus_int32 value) {
    return opus_encoder_ctl(st, OPUS_SET_BITRATE(value));
}
static inline int copus_encoder_set_inband_fec(OpusEncoder *st, opus_int32 value) {
    return opus_encoder_ctl(st, OPUS_SET_INBAND_FEC(value));
}
static inline int copus_encoder_set_packet_loss_perc(OpusEncoder *st, opus_int32 value) {
    return opus_encoder_ctl(st, OPUS_SET_PACKET_LOSS_PERC(value));
}
static inline int copus_encoder_set_dtx(OpusEncoder *st, opus_int32 value) {
    return opus_encoder_ctl(st, OPUS_SET_DTX(value));
}
static inline int copus_encoder_set_complexity(OpusEncoder *st, opus_int32 value) {
    return opus_encoder_ctl(st, OPUS_SET_COMPLEXITY(value));
}
static inline int copus_encoder_set_signal(OpusEncoder *st, opus_int32 value) {
    return opus_encoder_ctl(st, OPUS_SET_SIGNAL(value));
}
static inline int copus_encoder_set_max_bandwidth(OpusEncoder *st, opus_int32 value) {
    return opus_encoder_ctl(st, OPUS_SET_MAX_BANDWIDTH(value));
}
