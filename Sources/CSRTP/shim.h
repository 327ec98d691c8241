// libsrtp2 (Debian's libsrtp2-dev 2.5, built on NSS, so the AES-GCM suites are there); imported only by the
// SecureRTP target.
#ifndef RTP2MP3_CSRTP_SHIM_H
#define RTP2MP3_CSRTP_SHIM_H

#include <srtp2/srtp.h>

#endif
