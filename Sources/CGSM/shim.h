// libgsm (GSM 06.10 full rate) from Debian's libgsm1-dev, which ships no pkg-config file; imported only by the
// GSMCodec target.
#include <gsm/gsm.h>
