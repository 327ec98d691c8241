// opencore-amrwb (3GPP AMR-WB decoder) from Debian's libopencore-amrwb-dev; imported only by the AMRCodec target.
#include <opencore-amrwb/dec_if.h>
