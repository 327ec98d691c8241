// bcg729 (ITU-T G.729 / G.729A / G.729B) from Debian's libbcg729-dev; imported only by the G729Codec target.
#include <bcg729/decoder.h>
#include <bcg729/encoder.h>
