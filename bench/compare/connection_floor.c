/*
 * The floor under ConnectionBenchmark: the same workloads with raw system calls between two C
 * processes (a parent and a forked child) over a socketpair, as the benchmark's two JVMs are.
 *
 *   floor.pingpong_1byte   a 1-byte write/read ping-pong round trip
 *   floor.pingpong_64byte  the same with 64 bytes
 *   floor.pingpong_1byte_same_cpu, floor.pingpong_1byte_two_cpus
 *                          the 1-byte ping-pong with both processes pinned to one CPU, and to two
 *                          different CPUs: on a VM the two differ a lot (a wake-up across CPUs may
 *                          have to wake an idle vCPU), and an unpinned ping-pong lands on either, so
 *                          these two bracket every round trip measured here
 *   floor.oneway_1mib      1 MiB messages, written by the child as fast as the parent reads them
 *   floor.same_thread_1byte  a 1-byte write then read on a socketpair in one thread: the cost of
 *                          the two system calls without any process waiting or waking
 */
#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static void fully(ssize_t (*op)(int, void *, size_t), int fd, char *data, size_t size) {
    size_t done = 0;
    while (done < size) {
        ssize_t n = op(fd, data + done, size - done);
        if (n <= 0) {
            _exit(0); /* the other side is gone: the measurement is over */
        }
        done += (size_t) n;
    }
}

static ssize_t read_op(int fd, void *data, size_t size) {
    return read(fd, data, size);
}

static ssize_t write_op(int fd, void *data, size_t size) {
    return write(fd, data, size);
}

/* Pins the calling process to one CPU (-1: leave it alone). */
static void pin(int cpu) {
    if (cpu < 0) {
        return;
    }
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    if (sched_setaffinity(0, sizeof set, &set) != 0) {
        perror("sched_setaffinity");
        exit(1);
    }
}

/* Round trips of size bytes, each process pinned as given; returns microseconds per round trip. */
static double pingpong_pinned(size_t size, int rounds, int parent_cpu, int child_cpu) {
    int fds[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, fds) != 0) {
        perror("socketpair");
        exit(1);
    }
    char buffer[64] = {0};
    pid_t child = fork();
    if (child == 0) {
        close(fds[0]);
        pin(child_cpu);
        for (;;) {
            fully(read_op, fds[1], buffer, size);
            fully(write_op, fds[1], buffer, size);
        }
    }
    close(fds[1]);
    cpu_set_t before;
    sched_getaffinity(0, sizeof before, &before);
    pin(parent_cpu);
    for (int i = 0; i < rounds / 10; i++) { /* warm-up */
        fully(write_op, fds[0], buffer, size);
        fully(read_op, fds[0], buffer, size);
    }
    double began = now();
    for (int i = 0; i < rounds; i++) {
        fully(write_op, fds[0], buffer, size);
        fully(read_op, fds[0], buffer, size);
    }
    double elapsed = now() - began;
    close(fds[0]);
    waitpid(child, NULL, 0);
    sched_setaffinity(0, sizeof before, &before);
    return elapsed / rounds * 1e6;
}

static double pingpong(size_t size, int rounds) {
    return pingpong_pinned(size, rounds, -1, -1);
}

/* 1 MiB messages from a child writing as fast as it can; returns messages per second. */
static double oneway(int messages) {
    size_t size = 1 << 20;
    int fds[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, fds) != 0) {
        perror("socketpair");
        exit(1);
    }
    char *buffer = malloc(size);
    memset(buffer, 7, size);
    pid_t child = fork();
    if (child == 0) {
        close(fds[0]);
        signal(SIGPIPE, SIG_IGN);
        for (;;) {
            fully(write_op, fds[1], buffer, size);
        }
    }
    close(fds[1]);
    for (int i = 0; i < messages / 10; i++) {
        fully(read_op, fds[0], buffer, size);
    }
    double began = now();
    for (int i = 0; i < messages; i++) {
        fully(read_op, fds[0], buffer, size);
    }
    double elapsed = now() - began;
    close(fds[0]);
    waitpid(child, NULL, 0);
    free(buffer);
    return messages / elapsed;
}

/* write then read of one byte in one thread; returns microseconds per pair. */
static double same_thread(int rounds) {
    int fds[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, fds) != 0) {
        perror("socketpair");
        exit(1);
    }
    char byte = 1;
    for (int i = 0; i < rounds / 10; i++) {
        fully(write_op, fds[0], &byte, 1);
        fully(read_op, fds[1], &byte, 1);
    }
    double began = now();
    for (int i = 0; i < rounds; i++) {
        fully(write_op, fds[0], &byte, 1);
        fully(read_op, fds[1], &byte, 1);
    }
    double elapsed = now() - began;
    close(fds[0]);
    close(fds[1]);
    return elapsed / rounds * 1e6;
}

int main(void) {
    printf("RESULT floor.same_thread_1byte %.3f us/op\n", same_thread(1000000));
    fflush(stdout);
    printf("RESULT floor.pingpong_1byte %.3f us/op\n", pingpong(1, 200000));
    fflush(stdout);
    printf("RESULT floor.pingpong_64byte %.3f us/op\n", pingpong(64, 200000));
    fflush(stdout);
    printf("RESULT floor.oneway_1mib %.1f ops/s\n", oneway(5000));
    fflush(stdout);
    printf("RESULT floor.pingpong_1byte_same_cpu %.3f us/op\n", pingpong_pinned(1, 200000, 0, 0));
    fflush(stdout);
    if (sysconf(_SC_NPROCESSORS_ONLN) > 1) {
        printf("RESULT floor.pingpong_1byte_two_cpus %.3f us/op\n", pingpong_pinned(1, 200000, 0, 1));
    }
    return 0;
}
