// opencore-amrnb (3GPP AMR narrowband decoder and encoder) from Debian's libopencore-amrnb-dev; imported only by
// the AMRCodec target.
#include <opencore-amrnb/interf_dec.h>
#include <opencore-amrnb/interf_enc.h>
