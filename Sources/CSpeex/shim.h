// libspeex from Debian's libspeex-dev; imported only by the SpeexCodec target.
#include <speex/speex.h>
