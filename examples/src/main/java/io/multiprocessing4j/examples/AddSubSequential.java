package io.multiprocessing4j.examples;

/**
 * The walkthrough's lock section, first program: add 10 fifty times, then subtract 10 fifty times,
 * in one process. Nothing is shared, so nothing can race: 1000, 1500, 1000.
 */
public final class AddSubSequential {
    private AddSubSequential() {
    }

    static int add(int x) throws InterruptedException {
        for (int i = 0; i < 50; i++) {
            Thread.sleep(10);
            x += 10;
        }
        return x;
    }

    static int sub(int x) throws InterruptedException {
        for (int i = 0; i < 50; i++) {
            Thread.sleep(10);
            x -= 10;
        }
        return x;
    }

    public static void main(String[] args) throws Exception {
        int x = 1000;
        System.out.println("Initial x: " + x);
        x = add(x);
        System.out.println("Added x: " + x);
        x = sub(x);
        System.out.println("Subtracted x: " + x);
    }
}
