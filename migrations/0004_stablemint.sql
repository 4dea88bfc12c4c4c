-- StableMint dialect (issue 5).
--
-- Its request signature is SHA-256("<timestamp>,<api secret>,<userId>"): verifying it needs the
-- API secret itself, which a hash (`api_secret_hash`, no longer read) cannot give back. The
-- secret is kept sealed instead (AES-GCM under ENCRYPTION_KEY, src/sealed.ts), as webhook
-- signing secrets are; a database dump alone yields no usable secret.
ALTER TABLE merchants ADD COLUMN api_secret_sealed TEXT;

-- JSON array of the payment methods the merchant accepts, of "card" and "bank_transfer". Which
-- banks a bank transfer offers comes from the merchant's providers (src/providers/banks.ts).
ALTER TABLE merchants ADD COLUMN payment_methods TEXT NOT NULL DEFAULT '["card","bank_transfer"]';

-- Banks a payer has paid with, per merchant and the merchant's own user id (StableMint's
-- `userId`): written when a bank payment succeeds, listed as `savedBanks` by the next embedded
-- session of that user. Times are epoch milliseconds.
CREATE TABLE stablemint_saved_banks (
  merchant_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  bank_id TEXT NOT NULL,
  last_used_at INTEGER NOT NULL,
  PRIMARY KEY (merchant_id, user_id, bank_id)
) WITHOUT ROWID;
