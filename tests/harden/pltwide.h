/* SPDX-License-Identifier: MIT */
/* pltwide.h: PW_600(M) expands M(100) ... M(699) (rt_pltrace's modules). */
#ifndef PLTWIDE_H
#define PLTWIDE_H
#define PW_10(M, p) M(p##0) M(p##1) M(p##2) M(p##3) M(p##4) M(p##5) M(p##6) M(p##7) M(p##8) M(p##9)
#define PW_100(M, p) PW_10(M, p##0) PW_10(M, p##1) PW_10(M, p##2) PW_10(M, p##3) PW_10(M, p##4) \
	PW_10(M, p##5) PW_10(M, p##6) PW_10(M, p##7) PW_10(M, p##8) PW_10(M, p##9)
#define PW_600(M) PW_100(M, 1) PW_100(M, 2) PW_100(M, 3) PW_100(M, 4) PW_100(M, 5) PW_100(M, 6)
#endif
