package io.multiprocessing4j.examples;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the Python multiprocessing walkthrough's programs, in its order, each in Java.
 * With arguments (comma or space separated class names), runs only those.
 */
public final class Walkthrough {
    /** A program of the walkthrough: its main, as a lambda so that this list reads like the contents. */
    interface Program {
        void run() throws Exception;
    }

    private Walkthrough() {
    }

    static Map<String, Program> programs() {
        Map<String, Program> programs = new LinkedHashMap<>();
        programs.put("CubeProcesses", () -> CubeProcesses.main(new String[0]));
        programs.put("RunInsteadOfStart", () -> RunInsteadOfStart.main(new String[0]));
        programs.put("JoinOrder", () -> JoinOrder.main(new String[0]));
        programs.put("IsAlive", () -> IsAlive.main(new String[0]));
        programs.put("FiveCubeProcesses", () -> FiveCubeProcesses.main(new String[0]));
        programs.put("AddSubSequential", () -> AddSubSequential.main(new String[0]));
        programs.put("AddSubRace", () -> AddSubRace.main(new String[0]));
        programs.put("AddSubWithLock", () -> AddSubWithLock.main(new String[0]));
        programs.put("PoolMap", () -> PoolMap.main(new String[0]));
        programs.put("PoolVersusSerial", () -> PoolVersusSerial.main(new String[0]));
        programs.put("PoolApply", () -> PoolApply.main(new String[0]));
        programs.put("PoolApplyAsync", () -> PoolApplyAsync.main(new String[0]));
        programs.put("PoolDummyRecords", () -> PoolDummyRecords.main(new String[0]));
        programs.put("PoolMapAsync", () -> PoolMapAsync.main(new String[0]));
        programs.put("PoolImap", () -> PoolImap.main(new String[0]));
        programs.put("PoolImapUnordered", () -> PoolImapUnordered.main(new String[0]));
        programs.put("PoolStarmap", () -> PoolStarmap.main(new String[0]));
        programs.put("PoolStarmapAsync", () -> PoolStarmapAsync.main(new String[0]));
        programs.put("ProducerConsumerQueue", () -> ProducerConsumerQueue.main(new String[0]));
        programs.put("PipeHelloWorld", () -> PipeHelloWorld.main(new String[0]));
        programs.put("ManagerList", () -> ManagerList.main(new String[0]));
        return programs;
    }

    public static void main(String[] args) throws Exception {
        List<String> wanted = Arrays.stream(String.join(",", args).split("[,\\s]+"))
                .filter(name -> !name.isEmpty()).toList();
        Map<String, Program> programs = programs();
        for (String name : wanted) {
            if (!programs.containsKey(name)) {
                throw new IllegalArgumentException("no example " + name + "; there are " + programs.keySet());
            }
        }
        for (Map.Entry<String, Program> program : programs.entrySet()) {
            if (wanted.isEmpty() || wanted.contains(program.getKey())) {
                System.out.println();
                System.out.println("=== " + program.getKey() + " ===");
                program.getValue().run();
            }
        }
    }
}
