package io.multiprocessing4j.examples;

/** The walkthrough's pool programs share its {@code cube}: the sum of i³ for i below {@code number}. */
final class Cubes {
    private Cubes() {
    }

    static long cube(int number) {
        long total = 0;
        for (long i = 0; i < number; i++) {
            total += i * i * i;
        }
        return total;
    }

    /** The variant of the apply programs, which also says where it runs. */
    static long cubeTelling(int number) {
        System.out.println("number: " + number + " ; process id: " + ProcessHandle.current().pid());
        return cube(number);
    }

    static void customCallback(Object result) {
        System.out.println("Got result: " + result);
    }
}
