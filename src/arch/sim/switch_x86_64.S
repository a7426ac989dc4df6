/* SPDX-License-Identifier: MIT */
/* Coroutine context switch of the sim runtime (x86_64 System V).
 * Mirrors linux/arch/x86/kernel/entry_64.S in spirit only: __switch_to saves the callee-saved
 * registers and the stack pointer of one context and loads the other's.
 *
 * void ul_ctx_switch(void **save_sp, void *new_sp): push rbp, rbx, r12-r15 and the MXCSR /
 * x87 control words (callee-saved by the ABI), store rsp in *save_sp, load new_sp, pop the
 * other context's registers and return into it.
 * ul_ctx_start: where a new coroutine's first switch "returns"; calls rbx(r12). */
#if defined(__x86_64__)
	.text
	.globl	ul_ctx_switch
	.hidden	ul_ctx_switch
	.type	ul_ctx_switch, @function
	.p2align 4
ul_ctx_switch:
	.cfi_startproc
	pushq	%rbp
	pushq	%rbx
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	subq	$8, %rsp
	stmxcsr	(%rsp)
	fnstcw	4(%rsp)
	movq	%rsp, (%rdi)
	movq	%rsi, %rsp
	ldmxcsr	(%rsp)
	fldcw	4(%rsp)
	addq	$8, %rsp
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbx
	popq	%rbp
	ret
	.cfi_endproc
	.size	ul_ctx_switch, .-ul_ctx_switch

	.globl	ul_ctx_start
	.hidden	ul_ctx_start
	.type	ul_ctx_start, @function
	.p2align 4
ul_ctx_start:
	.cfi_startproc
	.cfi_undefined rip
	movq	%r12, %rdi
	callq	*%rbx
	ud2
	.cfi_endproc
	.size	ul_ctx_start, .-ul_ctx_start
#endif
	.section .note.GNU-stack, "", %progbits
