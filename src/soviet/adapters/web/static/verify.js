// The ledger page's "Verify" button: ask /api/verify and show its verdict in place.
// Without this script the form reloads the page with ?verify=true (same verdict).
"use strict";
(function () {
  const form = document.getElementById("verify-form");
  const verdict = document.getElementById("verdict");
  if (!form || !verdict) return;
  const button = form.querySelector("button");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    button.disabled = true;
    verdict.textContent = "Verifying…";
    try {
      const response = await fetch(form.dataset.api, { headers: { Accept: "application/json" } });
      const report = await response.json();
      if (!response.ok) {
        verdict.textContent = "Could not verify: " + (report.detail || response.status);
      } else if (report.ok) {
        verdict.textContent = "Ledger intact: " + report.checked.toLocaleString("en") +
          " events checked, head " + report.head_hash + "; the state matches the ledger.";
      } else {
        const where = report.first_bad_seq ? " from event " + report.first_bad_seq : "";
        verdict.textContent = "Ledger NOT intact" + where + ": " +
          (report.problem || report.state_problem);
      }
    } catch (error) {
      verdict.textContent = "Could not verify: " + error;
    } finally {
      button.disabled = false;
    }
  });
})();
