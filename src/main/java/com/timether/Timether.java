package com.timether;

import com.timether.cli.Commands;

/** The process entry point: {@code timether serve}, {@code timether demo} and the operator commands. */
public final class Timether {
    private Timether() {}

    /** Runs one command line with the process environment; exits with its code unless the server runs on. */
    public static void main(String[] args) {
        int code = Commands.run(args, System.getenv(), System.out, System.err);
        if (code != 0 || args.length == 0 || !"serve".equals(args[0])) {
            System.exit(code);
        }
    }
}
