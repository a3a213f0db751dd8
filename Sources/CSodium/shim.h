#ifndef SWG_CSODIUM_SHIM_H
#define SWG_CSODIUM_SHIM_H
#include <sodium/crypto_scalarmult_curve25519.h>
#include <sodium/core.h>
#include <sodium/utils.h>
#endif
