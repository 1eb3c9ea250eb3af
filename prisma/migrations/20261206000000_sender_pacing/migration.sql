-- Per-sender pacing (src/domain/sending/pacing): one row per sender (an SMS number, short code or
-- messaging service; an email domain) that is paced, shared by every worker process. The send
-- worker takes its slots from this row (GCRA, "theoretical arrival time") in one statement before
-- it claims a message; rows are created on first use, or by an override. Slot times are in
-- microseconds (not the (3) of other tables): at 1000/s a slot is about a millisecond.
CREATE TABLE "sender_budgets" (
    -- `sms:+15551234567`, `sms:MG…`, `sms:12345`, `email:example.com`
    "key" TEXT NOT NULL,
    "channel" "channel" NOT NULL,
    -- long_code, toll_free, short_code, messaging_service, email
    "kind" TEXT NOT NULL,
    -- The override (sends per second); NULL: the kind's default from the configuration.
    "rate_per_second" DOUBLE PRECISION,
    -- The next free slot: a send is granted greatest(tat, now()) and moves tat on by 1/rate (+ margin).
    "tat" TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- Where deferred and pre-spread jobs are placed (>= tat), so they do not all wake at tat.
    "hint_tat" TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- Slow-down after a 429 or a 30001: the rate is halved per level (1 to 4) until slow_until.
    "slow_level" INTEGER NOT NULL DEFAULT 0,
    "slow_until" TIMESTAMPTZ(3),
    -- What the last pacing statement decided (read back by that statement's RETURNING).
    "last_slot" TIMESTAMPTZ,
    "last_granted" BOOLEAN NOT NULL DEFAULT true,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),

    CONSTRAINT "sender_budgets_pkey" PRIMARY KEY ("key"),
    CONSTRAINT "sender_budgets_rate_check" CHECK ("rate_per_second" IS NULL OR "rate_per_second" BETWEEN 0.1 AND 1000),
    CONSTRAINT "sender_budgets_slow_level_check" CHECK ("slow_level" BETWEEN 0 AND 4)
);
