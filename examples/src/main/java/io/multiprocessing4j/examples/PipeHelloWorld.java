package io.multiprocessing4j.examples;

import io.multiprocessing4j.ChildProcess;
import io.multiprocessing4j.connection.Connection;
import io.multiprocessing4j.connection.Pipe;
import java.io.IOException;
import java.util.Arrays;

/**
 * The walkthrough's Pipe program: a duplex pipe, one end handed to a child that sends a list
 * through it, the other kept by the parent, which prints what arrives. Python prints
 * {@code ['Hello', 'World', None]}; Java's list prints {@code [Hello, World, null]}.
 */
public final class PipeHelloWorld {
    private PipeHelloWorld() {
    }

    static void foo(Connection conn) throws IOException {
        conn.send(Arrays.asList("Hello", "World", null));
        conn.close();
    }

    public static void main(String[] args) throws Exception {
        Pipe pipe = Pipe.open();
        Connection parent = pipe.first();
        Connection child = pipe.second();
        ChildProcess p = new ChildProcess(() -> foo(child));
        p.start();
        System.out.println(parent.recv());
        p.join();
        pipe.close();
    }
}
