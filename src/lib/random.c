/* SPDX-License-Identifier: MIT */
/* The stack's random numbers: one seeded generator, so that a sim run follows from its seed.
 * Mirrors linux/lib/random32.c and drivers/char/random.c: prandom_u32, get_random_bytes.
 *
 * DIVERGES: Linux has a per-CPU Tausworthe generator (prandom) and a separate entropy pool
 * (get_random_bytes). ulnet draws both from one xoshiro256** generator seeded through
 * splitmix64, so that a sim run is reproducible from ul_config.seed. Seed 0 on the posix
 * runtime takes the seed from getrandom(). The state is behind a spinlock (it only really
 * locks when ul_smp is set). */
#include <string.h>
#include <sys/random.h>
#include "arch/arch.h"
#include "init/boot.h"
#include "linux/random.h"
#include "linux/spinlock.h"

static u64 rng_state[4];
static DEFINE_SPINLOCK(rng_lock);

static u64 splitmix64(u64 *x)
{
	u64 z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static inline u64 rotl64(u64 x, int k)
{
	return (x << k) | (x >> (64 - k));
}

/* xoshiro256** step. Caller holds rng_lock. */
static u64 rng_next(void)
{
	u64 result = rotl64(rng_state[1] * 5, 7) * 9;
	u64 t = rng_state[1] << 17;

	rng_state[2] ^= rng_state[0];
	rng_state[3] ^= rng_state[1];
	rng_state[1] ^= rng_state[2];
	rng_state[0] ^= rng_state[3];
	rng_state[2] ^= t;
	rng_state[3] = rotl64(rng_state[3], 45);
	return result;
}

void ul_random_seed(u64 seed)
{
	u64 x = seed;
	int i;

	spin_lock(&rng_lock);
	/* splitmix64 never yields four zero words, so the xoshiro state is valid. */
	for (i = 0; i < 4; i++)
		rng_state[i] = splitmix64(&x);
	spin_unlock(&rng_lock);
}

static bool runtime_is_posix(void)
{
	return ul_rt && ul_rt->name && strcmp(ul_rt->name, "posix") == 0;
}

/* Seed 0 was asked for and the runtime was not known yet (ul_random_init runs before the
 * runtime is chosen): the first draw decides, once the runtime is set. */
static bool seed_zero_pending;

/* Real mode: an unpredictable seed, as the kernel's entropy pool would give. */
static void reseed_from_getrandom(void)
{
	u64 s = 0;

	if (getrandom(&s, sizeof(s), 0) != (ssize_t)sizeof(s) || s == 0)
		s = 0x5eed5eed5eed5eedULL ^ (u64)(unsigned long)&s;
	ul_random_seed(s);
}

/* Context: boot (ul_stack_create), before the runtime starts any thread. */
void ul_random_init(u64 seed)
{
	seed_zero_pending = false;
	if (seed == 0 && runtime_is_posix()) {
		reseed_from_getrandom();
		return;
	}
	ul_random_seed(seed);
	seed_zero_pending = seed == 0 && !ul_rt;
}

static inline void random_check_seed(void)
{
	if (unlikely(READ_ONCE(seed_zero_pending)) && ul_rt) {
		bool posix = runtime_is_posix();

		seed_zero_pending = false;
		if (posix)
			reseed_from_getrandom();
	}
}

u32 prandom_u32(void)
{
	u64 v;

	random_check_seed();
	spin_lock(&rng_lock);
	v = rng_next();
	spin_unlock(&rng_lock);
	return (u32)(v >> 32);	/* the high bits are the best ones of xoshiro */
}

void get_random_bytes(void *buf, int nbytes)
{
	u8 *p = buf;
	u64 v;

	if (!buf || nbytes <= 0)
		return;
	random_check_seed();
	spin_lock(&rng_lock);
	while (nbytes >= 8) {
		v = rng_next();
		memcpy(p, &v, 8);
		p += 8;
		nbytes -= 8;
	}
	if (nbytes > 0) {
		v = rng_next();
		memcpy(p, &v, (size_t)nbytes);
	}
	spin_unlock(&rng_lock);
}
