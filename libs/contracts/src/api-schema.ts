// Generated from the API's OpenAPI document by apps/web/scripts/openapi.mjs: do not edit.
export interface paths {
    "/activity": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The team's audit log: who started, cancelled, issued or revoked what, newest first */
        get: operations["TeamsController_activityLog"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/audits": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The team's audits, newest first */
        get: operations["AuditsController_list"];
        put?: never;
        /** Start an audit: explore the interleavings of a scenario under a variant and check its invariants */
        post: operations["AuditsController_start"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/audits/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** An audit: status, progress, verdict, counterexample */
        get: operations["AuditsController_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/audits/{id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Cancel a running audit: it completes as inconclusive (cancelled) */
        post: operations["AuditsController_cancel"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/audits/{id}/live": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Server-sent events: the audit's events from its first, live, until it completes
         * @description Each SSE event is named after the audit event (`AuditRequested`, `AuditProgressed`, `CounterexampleFound`, `AuditCompleted`); its data is `{revision, data, audit}` with the audit as of that event. The stream ends with `event: end`.
         */
        get: operations["AuditsController_follow"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/comparisons": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Audit a baseline (the suspected bug) and a fix side by side */
        post: operations["ComparisonsController_start"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/comparisons/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A comparison: both audits and what they say together */
        get: operations["ComparisonsController_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health/live": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness: the process answers */
        get: operations["HealthController_live"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health/ready": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Readiness: the event store answers a read */
        get: operations["HealthController_ready"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/invariants": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every invariant mmreplay checks, with its reference and kind */
        get: operations["ScenariosController_invariants"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/litmus": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Check a C litmus test (tools/memory-model format) under the Linux-kernel memory model: final states, witnesses, Observation, as herd7 answers */
        post: operations["LitmusController_check"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/litmus/runs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Record a litmus test's witness execution as a run of the team: the engine's lkmm reaches the LKMM witness's final state, and the run's time travel shows which store had not reached which CPU (docs/memory-model.md). Tests outside the engine's instruction set are a 400 naming the construct and line. */
        post: operations["LitmusController_record"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Who the token is: team, member, role */
        get: operations["TeamsController_me"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/runs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The team's runs, newest first, filtered, a page at a time */
        get: operations["RunsController_list"];
        put?: never;
        /** Record a run: one interleaving of a scenario under a scheduler (201 once recorded; with `wait: false`, 202 at once) */
        post: operations["RunsController_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/runs/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A run: model, scheduler, outcome, violation, schedule token */
        get: operations["RunsController_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/runs/{id}/diff": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** What differs between two steps of this run, or between this run and `otherRun` */
        get: operations["RunsController_diff"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/runs/{id}/divergence/{other}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The first step where two runs differ */
        get: operations["RunsController_divergence"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/runs/{id}/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Step events, filtered by step range, kind or op, thread, object */
        get: operations["RunsController_events"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/runs/{id}/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The run's events as they are stored, one JSON object a line (NDJSON, streamed): `POST /runs/import` or `mmreplay import` stores it elsewhere */
        get: operations["RunsController_exportRun"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/runs/{id}/first-where": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** The first step after which a predicate holds (a query: nothing is written) */
        post: operations["RunsController_firstWhere"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/runs/{id}/history": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every step that touched one page, PTE, PTL, VMA or thread, a page at a time (`Link: rel="next"` while there may be more) */
        get: operations["RunsController_history"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/runs/{id}/live": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Server-sent events: the run's events as they are appended, until RunCompleted
         * @description Each SSE event is named after the run event (`RunStarted`, `StepRecorded`, `RunCompleted`) with `id` its revision; the stream ends with `event: end`.
         */
        get: operations["RunsController_follow"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/runs/{id}/locks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The page locks and PTLs a thread holds after a step */
        get: operations["RunsController_locks"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/runs/{id}/model": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The run's exact model and its initial deltas: fold the events with them */
        get: operations["RunsController_model"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/runs/{id}/state": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Time travel: the state (pages, PTEs, PTLs, threads) after step `at` */
        get: operations["RunsController_state"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/runs/{id}/trace": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The interleaving diagram of a step range (default: the last 1,000 steps), as text, as an 80-column trace for a mail (lkml) or as JSON */
        get: operations["RunsController_trace"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/runs/import": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Store a run exported with `GET /runs/{id}/export` (NDJSON), after re-simulating it and checking every event
         * @description The body is the export as it was served, one JSON event a line (`Content-Type: application/x-ndjson`, at most MMREPLAY_IMPORT_LIMIT bytes). The server names the run and keeps it in your team; a file that was changed, or that does not replay, is a 400 naming the first event that differs.
         */
        post: operations["RunsController_importRun"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/scenarios": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The built-in scenarios, then the latest version of each of the team's published ones: parameters, switches, named variants, invariants (paged) */
        get: operations["ScenariosController_list"];
        put?: never;
        /** Publish a version of a scenario document (JSON, or YAML as application/yaml) in the team's library: immutable, addressed by its content hash; the name then stands for it */
        post: operations["ScenariosController_publish"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/scenarios/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One scenario (a built-in, or the latest version of the team's published one), with its threads and their kernel paths step by step (labels, instructions, kernel source references), and its document */
        get: operations["ScenariosController_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/scenarios/{name}/versions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The versions the team published of one scenario, newest first */
        get: operations["ScenariosController_versions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/scenarios/schema": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The JSON Schema of scenario documents (for editors; the server checks more than the schema says) */
        get: operations["ScenariosController_schema"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/teams": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every team (admin) */
        get: operations["TeamsController_list"];
        put?: never;
        /** Create a team (admin); with `owner`, also its first member and their token, shown once */
        post: operations["TeamsController_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/teams/{teamId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A team and its members */
        get: operations["TeamsController_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/teams/{teamId}/members": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Add a member (owner or admin) */
        post: operations["TeamsController_addMember"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/teams/{teamId}/members/{member}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Remove a member (owner or admin): their tokens stop working */
        delete: operations["TeamsController_removeMember"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/teams/{teamId}/tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The team's tokens (never their secrets) */
        get: operations["TeamsController_tokens"];
        put?: never;
        /** Issue a token for a member: the token is in this answer only (it is stored hashed) */
        post: operations["TeamsController_issue"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/teams/{teamId}/tokens/{tokenId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke a token: it stops working at once */
        delete: operations["TeamsController_revoke"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        AddMemberDto: {
            /** @example bob */
            member: string;
            /** @enum {string} */
            role: "owner" | "member" | "viewer";
        };
        Audit: {
            author: string;
            bounds: {
                [key: string]: unknown;
            };
            cancelledBy?: string | null;
            comparison?: components["schemas"]["AuditComparisonRef"] | null;
            completedAt?: string | null;
            counterexample?: components["schemas"]["Counterexample"] | null;
            createdAt: string;
            error?: string | null;
            id: string;
            /** @description the invariants checked */
            invariants: string[];
            /**
             * @description memory model of the relaxed accesses
             * @enum {string|null}
             */
            memoryModel?: "sc" | "tso" | "lkmm" | null;
            modelHash: string;
            params: {
                [key: string]: unknown;
            };
            progress?: components["schemas"]["AuditProgress"] | null;
            /** @description reductions the request switched off (`result.reductions` lists those used) */
            reductionsOff: string[];
            result?: components["schemas"]["AuditResult"] | null;
            scenario: string;
            /** @enum {string} */
            status: "running" | "completed" | "cancelled" | "interrupted" | "failed";
            /** @enum {string} */
            strategy: "exhaustive" | "pct" | "random";
            /** @description `kernel`, a named variant, or the submitted variant's name */
            variant: string;
            variantSpec?: {
                [key: string]: unknown;
            } | null;
            /** @enum {string|null} */
            verdict?: "holds" | "violated" | "inconclusive" | null;
        };
        AuditApproximation: {
            /** @description fraction of the table's bits (hash compaction: slots) in use */
            fill: number;
            /** @description bitstate: bits set per state (SPIN -k); hash compaction: 1 */
            hashes: number;
            /** @description table bits per stored state (SPIN's hash factor, best if > 100) */
            hashFactor: number;
            /** @description the visited table has 2^log2Bits bits (hash compaction: its slots times 64, at the end) */
            log2Bits: number;
            /** @enum {string} */
            method: "bitstate" | "hashcompact";
            /** @description the probability that some reachable state was taken for a visited one and not explored */
            omissionProbability: number;
            /** @description hash compaction: bits of a state's signature */
            signatureBits?: number | null;
        };
        AuditBoundsDto: {
            /** @description interleaving depth bound */
            maxDepth?: number;
            /** @description exhaustive: memory bound, MB, over the visited set, the frontier in memory and every worker; at most the server cap (default: 70% of the audit worker's heap) */
            maxMemoryMB?: number;
            /** @description wall-clock bound, seconds */
            maxSeconds?: number;
            /** @description states stored before the audit stops (inconclusive); at most the server cap */
            maxStates?: number;
            /** @description samples of a pct / random audit */
            runs?: number;
            /** @description seed of a pct / random audit */
            seed?: number;
        };
        AuditComparisonRef: {
            id: string;
            /** @enum {string} */
            role: "baseline" | "fix";
        };
        AuditModelBound: {
            /** @enum {string} */
            bound: "loads" | "stores" | "messages" | "speculation" | "wmb" | "releases" | "ctrl" | "page-address" | "sc-step" | "lock-word" | "release" | "rmw" | "rcu";
            /** @description an ordering a litmus twin of the world checked: the twin (the holds is then the model's) */
            checkedBy?: string | null;
            /** @description what the bound kept there at most (0 for an ordering) */
            kept: number;
            /** @description the label of the instruction that waited or lost a choice */
            label: string;
            /** @description the thread held back, where the bound first held one */
            thread: string;
        };
        AuditPage: {
            /** @description cursor of the next page (`after`) */
            next?: string | null;
            nodes: components["schemas"]["Audit"][];
        };
        AuditProgress: {
            depth: number;
            elapsedMs: number;
            states: number;
            transitions: number;
        };
        AuditResult: {
            /** @description an approximate search (a holds is approximate): method, table, probability of a miss */
            approximate?: components["schemas"]["AuditApproximation"] | null;
            /** @enum {string|null} */
            bound?: "states" | "depth" | "time" | "memory" | "cancelled" | null;
            /** @description whether a bound stopped the exploration */
            boundHit: boolean;
            elapsedMs: number;
            maxDepth: number;
            /** @description tso/lkmm: the engine's own bounds on weak-memory state that held a thread back; a holds is then the engine's within them (empty when none did) */
            modelBounds: components["schemas"]["AuditModelBound"][];
            /** @description PCT: probability that one run finds a bug of depth 3 */
            pctBound?: number | null;
            reductions: string[];
            /** @description sampling: runs done and the probability bound */
            sampling?: components["schemas"]["AuditSampling"] | null;
            schedules: number;
            statesStored: number;
            /** @description what was checked (invariants, memory model, reductions, bounds, runs) and what the verdict means, in words */
            summary?: string | null;
            transitions: number;
        };
        AuditSampling: {
            /** @description PCT's bug depth d */
            depth: number;
            /** @description PCT: at least this probability that the runs done find such a bug (null for random) */
            foundProbability?: number | null;
            /** @description PCT: guaranteed probability that one run finds a bug of depth d (null for random) */
            perRun?: number | null;
            /** @description runs done */
            runs: number;
        };
        Comparison: {
            baseline: components["schemas"]["Audit"];
            conclusion?: string | null;
            fix: components["schemas"]["Audit"];
            id: string;
            /** @enum {string} */
            status: "running" | "completed" | "stopped";
        };
        Counterexample: {
            invariant: string;
            /** @description the kernel assertion's source line, the protocol argument the invariant encodes, or, for a user invariant, that the scenario document defines it */
            invariantBacking: string;
            /**
             * @description kernel-assertion: a check the kernel makes would fire; protocol: an argument the kernel does not check is broken; user: the scenario document's own invariant (predicate language) is broken, its author's claim and not one of mmreplay's
             * @enum {string}
             */
            invariantClass: "kernel-assertion" | "protocol" | "user";
            length: number;
            message: string;
            /** @description the run that replays it: query its state, trace, ... */
            runId: string;
            /** @description schedule token: `mmreplay run ... --strategy replay --schedule TOKEN` */
            schedule: string;
            /** @description the step at which the invariant broke */
            step: number;
            thread: string;
        };
        CreateTeamDto: {
            /** @example Memory management */
            name?: string;
            /**
             * @description a first member, made owner, with a token (shown once)
             * @example alice
             */
            owner?: string;
            /**
             * @description 2 to 40 lower-case letters, digits or dashes
             * @example kernel-mm
             */
            teamId: string;
        };
        DiffModel: {
            a: components["schemas"]["StepRefModel"];
            b: components["schemas"]["StepRefModel"];
            changes: components["schemas"]["StateChangeModel"][];
        };
        DivergenceModel: {
            a?: {
                [key: string]: unknown;
            } | null;
            b?: {
                [key: string]: unknown;
            } | null;
            reason: string;
            /** @description first step where the runs differ; -1: different initial states */
            step: number;
        };
        DivergenceResult: {
            /** @description null: the runs are the same */
            divergence?: components["schemas"]["DivergenceModel"] | null;
        };
        FieldIssueDto: {
            /** @example bounds.maxStates */
            field: string;
            /** @example must be at most 5000000 on this server */
            message: string;
        };
        FirstMatchModel: {
            event?: {
                [key: string]: unknown;
            } | null;
            runId: string;
            /** @description steps evaluated */
            scanned: number;
            /** @description -1: the predicate holds before the first step */
            step: number;
            view: {
                [key: string]: unknown;
            };
        };
        FirstWhereDto: {
            from?: number;
            /**
             * @description a predicate (see the README: "first step where")
             * @example {
             *       "all": [
             *         {
             *           "pte": "e0",
             *           "kind": "migration"
             *         },
             *         {
             *           "page": "P",
             *           "locked": false
             *         }
             *       ]
             *     }
             */
            where: {
                [key: string]: unknown;
            };
        };
        FirstWhereResult: {
            /** @description null: the predicate never holds */
            match?: components["schemas"]["FirstMatchModel"] | null;
        };
        HistoryEntryModel: {
            args: {
                [key: string]: unknown;
            };
            /** @description {field, before, after} */
            changes: Record<string, never>[];
            fn: string;
            kind: string;
            label: string;
            op: string;
            step: number;
            thread: string;
        };
        IssueTokenDto: {
            /**
             * @description ISO-8601; absent: never expires
             * @example 2030-01-01T00:00:00Z
             */
            expiresAt?: string;
            /** @example bob */
            member: string;
            /** @example ci */
            name?: string;
            /**
             * @description at most the member's role
             * @enum {string}
             */
            role?: "owner" | "member" | "viewer";
        };
        LitmusRequestDto: {
            /**
             * @description a C litmus test in the format of tools/memory-model (herd7)
             * @example C SB
             *     {}
             *     P0(int *x, int *y)
             *     {
             *     	int r0;
             *     	WRITE_ONCE(*x, 1);
             *     	r0 = READ_ONCE(*y);
             *     }
             *     P1(int *x, int *y)
             *     {
             *     	int r0;
             *     	WRITE_ONCE(*y, 1);
             *     	r0 = READ_ONCE(*x);
             *     }
             *     exists (0:r0=0 /\ 1:r0=0)
             */
            test: string;
        };
        LitmusResultModel: {
            /** @description candidate executions examined */
            candidates: number;
            condition: string;
            /** @description the `Result:` the test documents, if any */
            documentedResult?: Record<string, never>;
            /** @description executions the model allows (after filter) */
            executions: number;
            /** @description flags some allowed execution raises (data-race) */
            flags: string[];
            /** @description the answer as herd7 prints it */
            herd: string;
            /**
             * @description the kind of the condition (exists, ~exists, forall)
             * @enum {string}
             */
            kind: "Allowed" | "Forbidden" | "Required";
            name: string;
            /** @description allowed executions where it does not */
            negative: number;
            /** @enum {string} */
            observation: "Never" | "Sometimes" | "Always";
            /** @description allowed executions where the proposition holds */
            positive: number;
            /** @description the final states: {values: {place: value}, satisfies} */
            states: Record<string, never>[];
            /** @description herd7's Ok/No: the condition holds with its quantifier */
            validated: boolean;
            /** @description an allowed execution (the weak outcome when there is one): events, rf, co per location, final state */
            witness?: {
                [key: string]: unknown;
            };
            /** @description herd7's Witnesses line {positive, negative} (swapped under ~exists) */
            witnesses: {
                [key: string]: unknown;
            };
        };
        LocksModel: {
            pageLocks: string[];
            ptls: string[];
            runId: string;
            step: number;
            thread: string;
        };
        ProblemDetails: {
            detail: string;
            /** @description every invalid field (400, 422) */
            errors?: components["schemas"]["FieldIssueDto"][];
            /** @example /audits */
            instance?: string;
            /** @description seconds, as the Retry-After header (429, 503) */
            retryAfter?: number;
            /** @example 400 */
            status: number;
            /** @example The request is not valid */
            title: string;
            /**
             * @description documented at this path
             * @example /problems/invalid-request
             */
            type: string;
        };
        ReductionsDto: {
            deadRegisters?: boolean;
            partialOrder?: boolean;
            symmetry?: boolean;
        };
        Run: {
            author: string;
            completedAt?: string | null;
            /** @description audits that found this run as a counterexample */
            counterexampleOf: string[];
            createdAt: string;
            engineVersion?: string | null;
            id: string;
            /** @description the last recorded step (-1: none yet) */
            lastStep?: number | null;
            modelHash: string;
            /** @enum {string|null} */
            outcome?: "completed" | "violation" | "deadlock" | "step-bound" | "infeasible" | "model-bound" | "failed" | null;
            params: {
                [key: string]: unknown;
            };
            /** @description why a `failed` run failed */
            reason?: string | null;
            scenario: string;
            /** @description the schedule token that replays the run exactly */
            schedule?: string | null;
            seed: number | string;
            /** @enum {string} */
            status: "running" | "completed";
            steps?: number | null;
            strategy: string;
            /** @description `kernel` for the unmodified protocol */
            variant: string;
            /** @description {invariant, step, thread, message} */
            violation?: {
                [key: string]: unknown;
            } | null;
        };
        RunModelView: {
            /** @description state deltas applied to the initial state before step 0 (program counters, registers) */
            initialDeltas: Record<string, never>[];
            /** @description the exact model the run executed (pages, PTEs, PTLs, VMAs, threads, paths, invariants) */
            model: {
                [key: string]: unknown;
            };
            /** @description content hash of the model */
            modelHash: string;
            runId: string;
        };
        RunPage: {
            next?: string | null;
            nodes: components["schemas"]["Run"][];
        };
        RunStateModel: {
            /** @description the step that produced this state */
            event?: {
                [key: string]: unknown;
            } | null;
            runId: string;
            step: number;
            /** @description pages, ptes, ptls, vmas, threads, waitQueues as of the step; memory (litmus variables and results, per CPU its outstanding loads and stores and which stores have not reached it) for litmus tests and weak memory models */
            view: {
                [key: string]: unknown;
            };
        };
        StartAuditDto: {
            /** @description exhaustive: an approximate search for configurations that do not fit, bitstate hashing (SPIN -DBITSTATE) or hash compaction (SPIN -DHC) instead of a visited set; a holds is then approximate, with the probability that a state was missed */
            approximate?: ("bitstate" | "hashcompact") | boolean;
            bounds?: components["schemas"]["AuditBoundsDto"];
            /** @description an inline scenario document (GET /scenarios/schema), instead of `scenario` */
            document?: Record<string, never> | string;
            /** @description approximate: states of a breadth-first level kept in memory; the rest goes to the server's spill directory (default 1,000,000) */
            frontierInMemory?: number;
            /**
             * @description invariants to check (default: the scenario's)
             * @example [
             *       "bug-on"
             *     ]
             */
            invariants?: string[];
            /**
             * @description memory model of the relaxed accesses (default: the variant's MEM switch, sc)
             * @enum {string}
             */
            memoryModel?: "sc" | "tso" | "lkmm";
            /**
             * @example {
             *       "ptes": 3,
             *       "faults": 3
             *     }
             */
            params?: {
                [key: string]: number;
            };
            reductions?: components["schemas"]["ReductionsDto"];
            /**
             * @description a built-in scenario, a published `name` (its latest version) or `name@version`; or leave it out and send `document`
             * @example seed
             */
            scenario?: string;
            /**
             * @default exhaustive
             * @enum {string}
             */
            strategy: "exhaustive" | "pct" | "random";
            /**
             * @description the protocol variant to audit (default: the kernel protocol)
             * @example unlock-before-remove
             */
            variant?: string | Record<string, never>;
            /** @description exhaustive: threads for the search, one of them its own (default: every core of the server) */
            workers?: number;
        };
        StartComparisonDto: {
            /** @description exhaustive: an approximate search for configurations that do not fit, bitstate hashing (SPIN -DBITSTATE) or hash compaction (SPIN -DHC) instead of a visited set; a holds is then approximate, with the probability that a state was missed */
            approximate?: ("bitstate" | "hashcompact") | boolean;
            /**
             * @description the variant suspected of the bug
             * @example unlock-before-remove
             */
            baseline: string | Record<string, never>;
            bounds?: components["schemas"]["AuditBoundsDto"];
            /** @description an inline scenario document (GET /scenarios/schema), instead of `scenario` */
            document?: Record<string, never> | string;
            /** @description the fix (default: the kernel protocol) */
            fix?: string | Record<string, never>;
            /** @description approximate: states of a breadth-first level kept in memory; the rest goes to the server's spill directory (default 1,000,000) */
            frontierInMemory?: number;
            /**
             * @description invariants to check (default: the scenario's)
             * @example [
             *       "bug-on"
             *     ]
             */
            invariants?: string[];
            /**
             * @description memory model of the relaxed accesses (default: the variant's MEM switch, sc)
             * @enum {string}
             */
            memoryModel?: "sc" | "tso" | "lkmm";
            /**
             * @example {
             *       "ptes": 3,
             *       "faults": 3
             *     }
             */
            params?: {
                [key: string]: number;
            };
            reductions?: components["schemas"]["ReductionsDto"];
            /**
             * @description a built-in scenario, a published `name` (its latest version) or `name@version`; or leave it out and send `document`
             * @example seed
             */
            scenario?: string;
            /**
             * @default exhaustive
             * @enum {string}
             */
            strategy: "exhaustive" | "pct" | "random";
            /** @description exhaustive: threads for the search, one of them its own (default: every core of the server) */
            workers?: number;
        };
        StartRunDto: {
            /** @description PCT bug depth (default 3) */
            depth?: number;
            /** @description an inline scenario document (GET /scenarios/schema), instead of `scenario` */
            document?: Record<string, never> | string;
            /** @description step bound (at most the server cap, which is also the default) */
            maxSteps?: number;
            /**
             * @description memory model of the relaxed accesses (default: the variant's MEM switch, sc)
             * @enum {string}
             */
            memoryModel?: "sc" | "tso" | "lkmm";
            /**
             * @example {
             *       "ptes": 2,
             *       "faults": 2
             *     }
             */
            params?: {
                [key: string]: number;
            };
            /**
             * @description a built-in scenario, a published `name` (its latest version) or `name@version`; or leave it out and send `document`
             * @example seed
             */
            scenario?: string;
            /** @description the schedule token a replay follows */
            schedule?: string;
            /** @default 0 */
            seed: number;
            /**
             * @description default `random` (`replay` when a schedule is given)
             * @enum {string}
             */
            strategy?: "random" | "pct" | "replay" | "round-robin";
            /**
             * @description a named variant or a variant object
             * @example unlock-before-remove
             */
            variant?: string | Record<string, never>;
            /**
             * @description answer once the run is recorded (201); false: answer at once (202) and follow it live
             * @default true
             */
            wait: boolean;
        };
        StateChangeModel: {
            a?: Record<string, never> | null;
            b?: Record<string, never> | null;
            /** @example pages.P.locked */
            path: string;
        };
        StepEventModel: {
            args: {
                [key: string]: unknown;
            };
            /** @description which outcome of a step that has several (0 for most) */
            choice: number;
            deltas: Record<string, never>[];
            kind: string;
            label: string;
            /** @description relaxed-memory accesses (absent when none) */
            memory?: Record<string, never>[];
            op: string;
            /** @description the thread's program counter before the step */
            pc: number;
            /** @description the kernel source the step models */
            src: {
                file?: string;
                fn?: string;
                version?: string;
            };
            step: number;
            thread: string;
            /** @description the thread's index in the model */
            threadIndex: number;
        };
        StepRefModel: {
            runId: string;
            step: number;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    TeamsController_activityLog: {
        parameters: {
            query?: {
                /** @description an action (`audit.cancelled`) or its prefix (`audit`) */
                action?: string;
                actor?: string;
                /** @description the `next` cursor of the previous page */
                before?: string;
                limit?: number;
                /** @description admin only: the team */
                team?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description {entries: [{at, actor, action, target, tokenId}], next} */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request is not valid */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Authentication required */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
        };
    };
    AuditsController_list: {
        parameters: {
            query?: {
                /** @description the `next` cursor of the previous page */
                after?: string;
                author?: string;
                limit?: number;
                scenario?: string;
                status?: "running" | "completed" | "cancelled" | "interrupted" | "failed";
                variant?: string;
                verdict?: "holds" | "violated" | "inconclusive";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditPage"];
                };
            };
            /** @description The request is not valid */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Authentication required */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
        };
    };
    AuditsController_start: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["StartAuditDto"];
            };
        };
        responses: {
            /** @description the audit runs; `Location` is where to follow it */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Audit"];
                };
            };
            /** @description The request is not valid */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Authentication required */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description The request exceeds a work budget */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Too many requests */
            429: {
                headers: {
                    /** @description seconds */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description The event store is unavailable */
            503: {
                headers: {
                    /** @description seconds */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
        };
    };
    AuditsController_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Audit"];
                };
            };
            /** @description Authentication required */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
        };
    };
    AuditsController_cancel: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Audit"];
                };
            };
            /** @description Authentication required */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Conflict */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
        };
    };
    AuditsController_follow: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Authentication required */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
        };
    };
    ComparisonsController_start: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["StartComparisonDto"];
            };
        };
        responses: {
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Comparison"];
                };
            };
            /** @description The request is not valid */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Authentication required */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description The request exceeds a work budget */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Too many requests */
            429: {
                headers: {
                    /** @description seconds */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description The event store is unavailable */
            503: {
                headers: {
                    /** @description seconds */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
        };
    };
    ComparisonsController_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Comparison"];
                };
            };
            /** @description Authentication required */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
        };
    };
    HealthController_live: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
        };
    };
    HealthController_ready: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
            /** @description the store is unreachable (problem details, Retry-After) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    ScenariosController_invariants: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Authentication required */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
        };
    };
    LitmusController_check: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LitmusRequestDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LitmusResultModel"];
                };
            };
            /** @description The request is not valid */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Authentication required */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Too many requests */
            429: {
                headers: {
                    /** @description seconds */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
        };
    };
    LitmusController_record: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LitmusRequestDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Run"];
                };
            };
            /** @description The request is not valid */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Authentication required */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Too many requests */
            429: {
                headers: {
                    /** @description seconds */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description The event store is unavailable */
            503: {
                headers: {
                    /** @description seconds */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
        };
    };
    TeamsController_me: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    RunsController_list: {
        parameters: {
            query?: {
                /** @description the `next` cursor of the previous page */
                after?: string;
                author?: string;
                /** @description runs that are counterexamples of this audit */
                counterexampleOf?: string;
                limit?: number;
                modelHash?: string;
                outcome?: "completed" | "violation" | "deadlock" | "step-bound" | "infeasible" | "model-bound" | "failed";
                scenario?: string;
                status?: "running" | "completed";
                strategy?: "random" | "pct" | "replay" | "round-robin";
                /** @description `kernel` for the unmodified protocol */
                variant?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RunPage"];
                };
            };
            /** @description The request is not valid */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Authentication required */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description The event store is unavailable */
            503: {
                headers: {
                    /** @description seconds */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
        };
    };
    RunsController_create: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["StartRunDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Run"];
                };
            };
            /** @description The request is not valid */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Authentication required */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Conflict */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description The request exceeds a work budget */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Too many requests */
            429: {
                headers: {
                    /** @description seconds */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description The event store is unavailable */
            503: {
                headers: {
                    /** @description seconds */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
        };
    };
    RunsController_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Run"];
                };
            };
            /** @description Authentication required */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description The event store is unavailable */
            503: {
                headers: {
                    /** @description seconds */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
        };
    };
    RunsController_diff: {
        parameters: {
            query: {
                from: number;
                /** @description compare with this run at step `to` */
                otherRun?: string;
                to: number;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DiffModel"];
                };
            };
            /** @description The request is not valid */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Authentication required */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
        };
    };
    RunsController_divergence: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                other: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DivergenceResult"];
                };
            };
            /** @description Authentication required */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
        };
    };
    RunsController_events: {
        parameters: {
            query?: {
                from?: number;
                limit?: number;
                /** @description `page:P`, `pte:e0`, `ptl:ptl`, `thread:flt0`, or a bare name */
                object?: string;
                thread?: string;
                to?: number;
                /** @description comma-separated event kinds or ops, e.g. `PageUnlocked,pte_read` */
                types?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StepEventModel"][];
                };
            };
            /** @description The request is not valid */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Authentication required */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
        };
    };
    RunsController_exportRun: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description one JSON event ({type, data, metadata}) a line, from RunStarted to RunCompleted */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Authentication required */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
        };
    };
    RunsController_firstWhere: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["FirstWhereDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FirstWhereResult"];
                };
            };
            /** @description The request is not valid */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Authentication required */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
        };
    };
    RunsController_history: {
        parameters: {
            query: {
                /** @description the cursor: entries after this step (the `Link: rel="next"` header of the previous page gives it) */
                after?: number;
                limit?: number;
                object: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HistoryEntryModel"][];
                };
            };
            /** @description The request is not valid */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Authentication required */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
        };
    };
    RunsController_follow: {
        parameters: {
            query?: {
                /** @description start at this step (default: the first event) */
                fromStep?: number;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Authentication required */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
        };
    };
    RunsController_locks: {
        parameters: {
            query: {
                at: number;
                thread: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LocksModel"];
                };
            };
            /** @description The request is not valid */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Authentication required */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
        };
    };
    RunsController_model: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RunModelView"];
                };
            };
            /** @description Authentication required */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
        };
    };
    RunsController_state: {
        parameters: {
            query: {
                /** @description the state after this step (-1: before the first) */
                at: number;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RunStateModel"];
                };
            };
            /** @description The request is not valid */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Authentication required */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
        };
    };
    RunsController_trace: {
        parameters: {
            query?: {
                /** @description text: the diagram, one column per thread; lkml: at most 80 columns, one per CPU that ran, the sources listed under it (for a mail); json: the rows. Default: text if `Accept` prefers text/plain, else json */
                format?: "text" | "lkml" | "json";
                from?: number;
                to?: number;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description text/plain: the diagram (format text or lkml); application/json: {threads, columns, rows, ...} */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request is not valid */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Authentication required */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
        };
    };
    RunsController_importRun: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-ndjson": string;
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Run"];
                };
            };
            /** @description The request is not valid */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Authentication required */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Unsupported media type */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
        };
    };
    ScenariosController_list: {
        parameters: {
            query?: {
                /** @description the `next` cursor of the previous page (a scenario name) */
                after?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description `{ nodes, next }`: pass `next` as `after` for the next page */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request is not valid */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Authentication required */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
        };
    };
    ScenariosController_publish: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description a scenario document (GET /scenarios/schema) */
        requestBody: {
            content: {
                "application/json": Record<string, never>;
                "application/yaml": Record<string, never>;
            };
        };
        responses: {
            /** @description the version (201; 200 when the same document was already published) */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request is not valid */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Authentication required */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Conflict */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Unsupported media type */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description The event store is unavailable */
            503: {
                headers: {
                    /** @description seconds */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
        };
    };
    ScenariosController_get: {
        parameters: {
            query?: {
                /** @description show the paths as this named variant patches them */
                variant?: string;
            };
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the scenario and its paths */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Authentication required */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description The request exceeds a work budget */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
        };
    };
    ScenariosController_versions: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the versions */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Authentication required */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
        };
    };
    ScenariosController_schema: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description a JSON Schema (draft 2020-12) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Authentication required */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
        };
    };
    TeamsController_list: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Authentication required */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
        };
    };
    TeamsController_create: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateTeamDto"];
            };
        };
        responses: {
            /** @description {team, token?: {token, ...}} */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request is not valid */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Authentication required */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Conflict */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
        };
    };
    TeamsController_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                teamId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Authentication required */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
        };
    };
    TeamsController_addMember: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                teamId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AddMemberDto"];
            };
        };
        responses: {
            /** @description The request is not valid */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Authentication required */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Conflict */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
        };
    };
    TeamsController_removeMember: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                member: string;
                teamId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Authentication required */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Conflict */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
        };
    };
    TeamsController_tokens: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                teamId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Authentication required */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
        };
    };
    TeamsController_issue: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                teamId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["IssueTokenDto"];
            };
        };
        responses: {
            /** @description {token, tokenId, member, role, expiresAt, ...} */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request is not valid */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Authentication required */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Conflict */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
        };
    };
    TeamsController_revoke: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                teamId: string;
                tokenId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Authentication required */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Conflict */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
        };
    };
}
