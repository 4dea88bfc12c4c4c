/**
 * The browser suite's one entry: Debian Chromium (playwright-core) against the service started
 * as `npm start` does, with a merchant's site on another local origin. One service and one
 * browser serve every suite (test files run one after another on this machine); each suite
 * file holds one behaviour.
 *
 * The expiry suite registers first so its 60 s session starts ageing while the others run,
 * and its tests run last.
 */
import { accessibilitySuite } from "./accessibility.suite.js";
import { bankTransferSuite } from "./bank-transfer.suite.js";
import { brandingSuite } from "./branding.suite.js";
import { cardBrandSuite } from "./card-brand.suite.js";
import { everyPayerSuite } from "./every-payer.suite.js";
import { expirySuite } from "./expiry.suite.js";
import { finalPagesSuite } from "./final-pages.suite.js";
import { useFixture } from "./fixture.js";
import { hostedPaymentsSuite } from "./hosted-payments.suite.js";
import { languagesSuite } from "./languages.suite.js";
import { liveStateSuite } from "./live-state.suite.js";
import { merchantSettingsSuite } from "./merchant-settings.suite.js";
import { opsSuite } from "./ops.suite.js";
import { payerAmountSuite } from "./payer-amount.suite.js";
import { payerFieldsSuite } from "./payer-fields.suite.js";
import { shopSuite } from "./shop.suite.js";
import { wayBackSuite } from "./way-back.suite.js";
import { widgetSuite } from "./widget.suite.js";

const fx = useFixture();
const runExpiryLast = expirySuite(fx);
hostedPaymentsSuite(fx);
everyPayerSuite(fx);
cardBrandSuite(fx);
payerFieldsSuite(fx);
bankTransferSuite(fx);
payerAmountSuite(fx);
wayBackSuite(fx);
finalPagesSuite(fx);
languagesSuite(fx);
widgetSuite(fx);
liveStateSuite(fx);
merchantSettingsSuite(fx);
brandingSuite(fx);
accessibilitySuite(fx);
opsSuite(fx);
shopSuite(fx);
runExpiryLast();
