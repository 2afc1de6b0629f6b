/*
 * Kernel calls newer than the 5.4 baseline: whether each may be used, decided once at load.
 * A call is unusable when the kernel lacks it (ENOSYS), when a seccomp filter refuses it (EPERM,
 * as older container runtimes do for calls they do not know), or when a test forces its fallback.
 */
#ifndef MP4J_KERNEL_FEATURES_H
#define MP4J_KERNEL_FEATURES_H

/* Bits of the feature mask; keep in sync with KernelFeatures.java. */
#define MP4J_FEATURE_CLOSE_RANGE 1   /* close_range(2), Linux 5.9 */
#define MP4J_FEATURE_PIPE_NOWAIT 2   /* preadv2/pwritev2 with RWF_NOWAIT honoured by pipes */

/* Probes every feature and applies the forced fallbacks; called from JNI_OnLoad. */
void mp4j_kernel_features_init(void);

/* Nonzero when the feature may be used. */
int mp4j_kernel_feature(int feature);

#endif
