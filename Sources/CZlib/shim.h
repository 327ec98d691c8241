// zlib (https://zlib.net), for gzip-compressed captures. `inflateInit2` is a macro that passes the library's
// version and the size of z_stream for a check; Swift does not import macros, so this inline function does it.
#include <zlib.h>

static inline int czlib_inflate_init2(z_streamp stream, int windowBits) {
    return inflateInit2(stream, windowBits);
}
