// libcurl from Debian's libcurl4-openssl-dev; imported only by the HTTPClient target.
// curl_easy_setopt and curl_easy_getinfo are variadic, which Swift cannot call: typed static-inline shims follow.
#include <curl/curl.h>
