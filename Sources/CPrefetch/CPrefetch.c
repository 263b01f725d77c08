// The header's functions are static inline; this file gives the target its one translation unit.
#include "CPrefetch.h"
