/*
 * Runs a program under a seccomp filter that fails the given system calls with the given errno,
 * as a container runtime's profile does for calls it does not know (Docker before 20.10 answers
 * EPERM for pidfd_open; newer runtimes ENOSYS). For tests of the library's errors in such places.
 *
 *   mp4j-seccomp-refuse <errno> <syscall number>[,<number>...] <program> [args...]
 *
 * The filter is inherited by the program and every process it starts; it needs no privilege
 * (PR_SET_NO_NEW_PRIVS first).
 */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#define MAX_CALLS 16

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: %s <errno> <syscall number>[,<number>...] <program> [args...]\n", argv[0]);
        return 2;
    }
    int error = atoi(argv[1]);
    int calls[MAX_CALLS];
    int count = 0;
    for (char *item = strtok(argv[2], ","); item != NULL && count < MAX_CALLS; item = strtok(NULL, ",")) {
        calls[count++] = atoi(item);
    }
    /* Load the call number; for each listed call, return the errno on a match; else allow. */
    struct sock_filter filter[2 + 2 * MAX_CALLS];
    int length = 0;
    filter[length++] = (struct sock_filter) BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
    for (int i = 0; i < count; i++) {
        filter[length++] = (struct sock_filter) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned) calls[i], 0, 1);
        filter[length++] = (struct sock_filter) BPF_STMT(BPF_RET | BPF_K,
                                                         SECCOMP_RET_ERRNO | ((unsigned) error & SECCOMP_RET_DATA));
    }
    filter[length++] = (struct sock_filter) BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
    struct sock_fprog program = {.len = (unsigned short) length, .filter = filter};
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 || prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &program) != 0) {
        perror("mp4j-seccomp-refuse: seccomp");
        return 1;
    }
    execvp(argv[3], argv + 3);
    perror("mp4j-seccomp-refuse: execvp");
    return 127;
}
