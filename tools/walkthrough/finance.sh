#!/usr/bin/env bash
# The README's finance walkthrough against a running Burndown: buy credits on an invoice, burn
# some, let a grant expire, refund unused credits, then read the month, close the one before and
# export the journal. Usage: API=http://127.0.0.1:8080 KEY=$(cat .burndown/dev-api-key) tools/walkthrough/finance.sh
set -euo pipefail
API=${API:-http://127.0.0.1:8080}
KEY=${KEY:-$(cat .burndown/dev-api-key)}
CUSTOMER=${CUSTOMER:-studio}
MONTH=$(date -u +%Y-%m)
LAST_MONTH=$(date -u -d "$(date -u +%Y-%m-01) -1 day" +%Y-%m)

call() { # method path [body]
  local method=$1 path=$2 body=${3:-}
  echo "\$ $method $path${body:+ $body}"
  if [ -n "$body" ]; then
    curl -sS -X "$method" "$API$path" -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \
      -H "Idempotency-Key: walkthrough-$CUSTOMER-$(echo "$method $path $body" | md5sum | cut -c1-12)" -d "$body"
  else
    curl -sS -X "$method" "$API$path" -H "Authorization: Bearer $KEY"
  fi
  echo; echo
}

call POST /v1/customers "{\"id\":\"$CUSTOMER\",\"name\":\"Studio\"}"
# Buy: 10 credits for 10.00 USD plus 20 % VAT. Paying the invoice grants them at 1.00 a credit.
call POST /v1/invoices "{\"invoiceId\":\"$CUSTOMER-inv-1\",\"customerId\":\"$CUSTOMER\",\"currency\":\"USD\",\"taxRate\":{\"name\":\"VAT 20 %\",\"ratePpm\":\"200000\",\"inclusive\":false},\"lines\":[{\"description\":\"Pack, 10 credits\",\"unitPrice\":\"1000\",\"credits\":\"10000000\"}]}"
call POST "/v1/invoices/$CUSTOMER-inv-1/finalization" '{}'
call POST "/v1/invoices/$CUSTOMER-inv-1/payments" '{"paymentId":"bank-transfer-1","amount":"1200"}'
# And 4 credits at 0.50 that expire in five seconds.
EXPIRES=$(date -u -d '+5 seconds' +%Y-%m-%dT%H:%M:%SZ)
call POST "/v1/wallets/$CUSTOMER/grants" "{\"grantId\":\"short-lived\",\"kind\":\"purchased\",\"amount\":\"4000000\",\"costBasis\":{\"currency\":\"USD\",\"microsPerCredit\":\"50000000\"},\"expiresAt\":\"$EXPIRES\"}"
sleep 1
# Burn: 3,000 tokens = 3 credits, the soonest-expiring grant first.
call POST /v1/events "{\"id\":\"$CUSTOMER-evt-1\",\"customerId\":\"$CUSTOMER\",\"type\":\"llm.tokens\",\"quantity\":\"3000\"}"
sleep 7
# Expired: what was left of the short-lived grant is breakage. Refund 2 unused credits of the pack.
call POST "/v1/wallets/$CUSTOMER/grants/$CUSTOMER-inv-1:line-1/refunds" '{"refundId":"refund-1","amount":"2000000","reason":"unused"}'
sleep 1
call GET "/v1/invoices/$CUSTOMER-inv-1.cn-refund-1"
call GET "/v1/wallets/$CUSTOMER"
call GET "/v1/revenue/customers/$CUSTOMER"
call POST /v1/revenue/periods/close "{\"month\":\"$LAST_MONTH\"}"
call GET "/v1/revenue/journal?month=$MONTH"
