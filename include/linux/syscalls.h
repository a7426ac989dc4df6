/* SPDX-License-Identifier: MIT */
/* The system-call bracket of the public ul_* calls.
 * Mirrors linux/include/linux/syscalls.h in spirit: where Linux enters the kernel through
 * the syscall entry and returns -errno in a register that the libc turns into -1 + errno,
 * a ul_* call runs its __sys_* body between ul_syscall_enter/exit (the time is the task's
 * sys time) and converts the result with ul_syscall_ret. */
#ifndef _LINUX_SYSCALLS_H
#define _LINUX_SYSCALLS_H
#include "linux/sched.h"

/* -errno -> -1 with errno set (the libc convention); -ERESTARTSYS & co become EINTR and
 * -ENOIOCTLCMD becomes ENOTTY, as a program would see them. Other values pass through. */
long ul_syscall_ret(long ret);

#define UL_SYSCALL(expr)                        \
	({                                      \
		long __ret;                     \
		ul_syscall_enter();             \
		__ret = (long)(expr);           \
		ul_syscall_exit();              \
		ul_syscall_ret(__ret);          \
	})

#endif
