// vo-amrwbenc (VisualOn AMR-WB encoder) from Debian's libvo-amrwbenc-dev: test-only, imported only by the
// AMRWBTestEncoder target (the product decodes AMR-WB and never encodes it).
#include <vo-amrwbenc/enc_if.h>
