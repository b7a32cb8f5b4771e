package io.github.jobmetrics.agent.jobs;

import java.util.concurrent.CountDownLatch;

/** Ends as its first argument says: exit-main N, exit-thread N, throw, thread-throw, wait (for a signal), ok. */
public final class EndingJob {
    private EndingJob() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "exit-main":
                System.exit(Integer.parseInt(args[1]));
                break;
            case "exit-thread": {
                Thread t = new Thread(() -> System.exit(Integer.parseInt(args[1])), "exiter");
                t.start();
                t.join();
                break;
            }
            case "throw":
                throw new IllegalStateException("main fails");
            case "thread-throw": {
                Thread t = new Thread(() -> {
                    throw new IllegalStateException("worker fails");
                }, "worker");
                t.start();
                t.join();
                System.out.println("main done");
                break;
            }
            case "wait":
                System.out.println("ready");
                System.out.flush();
                new CountDownLatch(1).await();
                break;
            default:
                System.out.println("ok");
        }
    }
}
