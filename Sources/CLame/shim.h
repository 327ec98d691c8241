// LAME (libmp3lame) from Debian's libmp3lame-dev; imported only by the MP3Encoder target.
#include <lame/lame.h>
