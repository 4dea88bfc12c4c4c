/**
 * The payer pages in English: the catalogue every other language follows key for key (its type
 * is `Catalogue`, so a key missing or extra there is a type error), and the default language.
 *
 * `page` holds what the server renders; `script` what static/checkout.js shows as well (the
 * server hands that part to the page, in the language of the page). `{name}` is a placeholder
 * filled in at render time; every language has the same ones (test/machines/i18n.test.ts).
 * The Worker reads the catalogues as static/i18n/<language>.json, which that test writes.
 */
export const en = {
  page: {
    orderSummary: "Order summary",
    total: "Total",
    totalDue: "Total due",
    totalPaid: "Total paid",
    amountOfChoice: "Amount of your choice",
    checkout: "Checkout",
    declinedByBankCheck: "Your bank did not confirm this payment.",
    declinedCard: "Your card was declined.",
    declinedBank: "Your bank declined this payment.",
    declinedOther: "The payment did not go through: {reason}",
    retryCard: "Try again or use another card.",
    retryOther: "Try again or choose another way to pay.",
    attemptLeft: "{count} attempt left.",
    attemptsLeft: "{count} attempts left.",
    returnTo: "Return to {merchant}",
    backTo: "Back to {merchant}",
    cancelPayment: "Cancel payment",
    processingTitle: "Processing your payment…",
    processingText: "This takes a few seconds. Please keep this page open; it updates by itself.",
    bankCheckText: "Your bank wants to check that it is you before it pays.",
    bankCheckContinue: "Continue to your bank",
    paidTitle: "Payment successful",
    paid: "You paid {amount} to {merchant}.",
    paidCard: "You paid {amount} to {merchant} with {card}.",
    paidBank: "You paid {amount} to {merchant} by bank transfer.",
    paidBankFrom: "You paid {amount} to {merchant} by bank transfer from {bank}.",
    expiredTitle: "This payment link has expired",
    expiredText: "No payment was taken. Go back to start again.",
    expiredAt: "Expired on {date}",
    cancelledTitle: "This payment was cancelled",
    cancelledText: "No payment was taken.",
    failedTitle: "Payment failed",
    failedText:
      "We could not take this payment and no money was taken. Go back to try another way.",
    secureCheckout: "Secure checkout",
    cardsNotStored: "Card numbers are never stored",
    poweredBy: "Powered by edge-checkout",
    needHelp: "Need help? Contact {merchant}",
    testMode: "Test mode",
    testModeText: "This is a sandbox payment: no real money moves.",
    payTo: "Pay {merchant}",
    optional: "(optional)",
    select: "Select…",
    country: "Country",
    addressLine1: "Address line 1",
    addressLine2: "Address line 2",
    city: "City",
    postalCode: "Postal code",
    contact: "Contact",
    email: "Email",
    fullName: "Full name",
    phone: "Phone",
    billingAddress: "Billing address",
    shippingAddress: "Shipping address",
    sameAsBilling: "Same as billing address",
    additionalInfo: "Additional information",
    amountQuestion: "How much would you like to pay?",
    amount: "Amount",
    amountBetween: "Between {min} and {max}.",
    cardDetails: "Card details",
    cardNumber: "Card number",
    expiry: "Expiry",
    expiryPlaceholder: "MM / YY",
    securityCode: "CVC",
    noScript:
      "Turn on JavaScript in your browser to pay: this page needs it to send your payment safely.",
    methodQuestion: "How would you like to pay?",
    methodCard: "Card",
    methodBank: "Bank transfer",
    chooseBank: "Choose your bank",
    chooseBankError: "Choose your bank.",
    usedBefore: "Used before",
    loading: "Loading the checkout…",
    invalidLinkTitle: "This payment link is not valid",
    invalidLinkText: "Check that you opened the whole link, or ask the merchant for a new one.",
    openAgainTitle: "Open your payment link again",
    openAgainText:
      "For your security, this page opens only from the payment link the merchant gave you, in the browser where you opened it.",
    returningTitle: "Returning to the merchant",
    returningText: "Returning you to the merchant…",
    continue: "Continue",
    checkoutReturningTitle: "Returning to the checkout",
    checkoutReturningText: "Checked. Returning to the checkout…",
    challengeTitle: "Sandbox 3-D Secure challenge",
    challengeAsk:
      "Confirm the payment of {amount}. This page stands in for the card issuer's check.",
    challengeAskTo:
      "Confirm the payment of {amount} to {merchant}. This page stands in for the card issuer's check.",
    approve: "Approve",
    deny: "Deny",
    challengeApproved: "The payment of {amount} was approved.",
    challengeApprovedTo: "The payment of {amount} to {merchant} was approved.",
    challengeDenied: "The payment of {amount} was denied.",
    challengeDeniedTo: "The payment of {amount} to {merchant} was denied.",
  },
  script: {
    pay: "Pay",
    payAmount: "Pay {amount}",
    processing: "Processing…",
    bankCheckTitle: "Confirm the payment with your bank",
    cannotShow: "This checkout cannot be shown.",
    genericError: "Something went wrong. Please try again.",
    offline: "We could not reach the payment service. Check your connection and try again.",
    offlineReload: "We could not reach the payment service. Reload the page to try again.",
    embeddedOnly: "This checkout can only be shown inside the merchant's page.",
    linkAgain: "Open the payment link you were given again.",
    tooMany: "Too many attempts. Wait a minute, then try again.",
    thisField: "This field",
    chooseOne: "Choose one.",
    required: "{field} is required.",
    invalidEmail: "Enter an email address like name@example.com.",
    invalidCard: "Enter a valid card number.",
    invalidExpiry: "Enter the expiry date as MM / YY.",
    cardExpired: "This card has expired.",
    invalidCvc: "Enter the 3 or 4 digit security code.",
    cvcDigits: "Enter the {count} digit security code.",
    cardBrand: "{brand} card",
    invalidNumber: "Enter a number.",
    amountFormat: "Enter an amount like {example}, with at most {count} decimals.",
    amountWhole: "Enter a whole amount, without decimals.",
    amountPositive: "Enter an amount above zero.",
    amountRange: "Enter an amount between {min} and {max}.",
    checkField: "Check this field.",
  },
};

/** A page string's key. */
export type PageKey = keyof typeof en.page;
/** A key of what the page's script shows (the server renders some of them too). */
export type ScriptKey = keyof typeof en.script;
export type MessageKey = PageKey | ScriptKey;

/** One language's catalogue: exactly English's keys, each a string. */
export interface Catalogue {
  page: Readonly<Record<PageKey, string>>;
  script: Readonly<Record<ScriptKey, string>>;
}
