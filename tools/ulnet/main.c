/* SPDX-License-Identifier: MIT */
/* The `ulnet` command's main(): everything happens in cli.c and the cmd_*.c subcommands. */
#include "cli.h"

int main(int argc, char **argv)
{
	return ulnet_cli_main(argc, argv);
}
