/* live.js: keep a page up to date from a soviet live stream (Server-Sent Events).
 *
 * No framework, no build step. Markup (docs/http.md, "Live updates"):
 *   data-live-source="/api/congresses/NAME/live"  the element that follows a stream
 *   data-live="attendance.present"                text (or a <progress>'s value) from an event
 *   data-live="vote.3.voted", "result.3.carried"  vote and result events by vote number
 *   data-live-max="vote.3.entitled"               a <progress>/<meter>'s maximum
 *   data-live-true / data-live-false              how a true / false value reads
 *   data-live-vote="3"                            gets data-status from vote 3's events
 *   data-live-list="vote" + <template data-live-template="vote">  votes opened later
 *   data-live-announce                            the aria-live region (made if absent)
 *   data-live-connection                          "live" / "reconnecting…"
 */
(function () {
  "use strict";

  var EVENTS = ["attendance", "vote", "result", "head"];
  var PROGRESS_EVERY_MS = 30000; // a vote's progress is spoken at most this often

  /* The value at a dotted path in an object, or undefined. */
  function lookup(data, path) {
    var value = data;
    var parts = path === "" ? [] : path.split(".");
    for (var i = 0; i < parts.length; i++) {
      if (value === null || typeof value !== "object" || !(parts[i] in value)) {
        return undefined;
      }
      value = value[parts[i]];
    }
    return value;
  }

  /* How a value reads on the page. */
  function text(element, value) {
    if (value === true) return element.getAttribute("data-live-true") || "yes";
    if (value === false) return element.getAttribute("data-live-false") || "no";
    if (value === null || value === undefined) return "";
    if (typeof value === "number") return value.toLocaleString("en"); // 1,234 as the pages print it
    if (typeof value === "object") {
      return Object.keys(value)
        .map(function (k) { return k + ": " + value[k]; })
        .join(", ");
    }
    return String(value);
  }

  /* The prefix an event's paths start with: "attendance", or "vote.3" for vote 3. */
  function prefix(name, data) {
    return (name === "vote" || name === "result") && data && data.vote !== undefined
      ? name + "." + data.vote
      : name;
  }

  /* Set every element of root whose path (in attribute attr) starts with the prefix. */
  function each(root, attr, start, fn) {
    var nodes = root.querySelectorAll("[" + attr + "]");
    for (var i = 0; i < nodes.length; i++) {
      var path = nodes[i].getAttribute(attr);
      if (path === start || path.indexOf(start + ".") === 0) {
        fn(nodes[i], path.slice(start.length + 1));
      }
    }
  }

  /* A vote opened after the page was made: a copy of the template in the list. */
  function ensureVote(root, number) {
    if (root.querySelector('[data-live-vote="' + number + '"]')) return;
    var template = root.querySelector('template[data-live-template="vote"]');
    var list = root.querySelector('[data-live-list="vote"]');
    if (!template || !list) return;
    var html = template.innerHTML.split("{vote}").join(String(number));
    var holder = document.createElement("div");
    holder.innerHTML = html;
    while (holder.firstChild) list.appendChild(holder.firstChild);
  }

  function announcer(root) {
    var region = root.querySelector("[data-live-announce]");
    if (!region) {
      region = document.createElement("p");
      region.setAttribute("data-live-announce", "");
      region.setAttribute("role", "status");
      region.setAttribute("aria-live", "polite");
      // Visually hidden, still read by screen readers.
      region.style.cssText =
        "position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap";
      root.appendChild(region);
    }
    return function (message) {
      // Emptied first, so that the same sentence twice is spoken twice.
      region.textContent = "";
      window.setTimeout(function () { region.textContent = message; }, 50);
    };
  }

  function follow(root) {
    var url = root.getAttribute("data-live-source");
    var say = announcer(root);
    var last = {}; // the latest data per prefix, to tell what changed
    var spoken = {}; // when each vote's progress was last spoken

    var loaded = false; // results already closed when the page loaded are not spoken
    var WORDS = { live: "live", reconnecting: "reconnecting…", closed: "not live" };

    function connection(state) {
      root.setAttribute("data-live-state", state);
      var nodes = root.querySelectorAll("[data-live-connection]");
      for (var i = 0; i < nodes.length; i++) nodes[i].textContent = WORDS[state];
    }

    function speak(name, data, before) {
      if (name === "attendance") {
        if (!before || before.quorum_met !== data.quorum_met) {
          say(
            data.entitled_present + " voting delegates present of " + data.quorum_needed +
              " needed: quorum " + (data.quorum_met ? "reached" : "not reached") + "."
          );
        }
      } else if (name === "vote") {
        var now = Date.now();
        if (!before) {
          say("Vote " + data.vote + " is open (" + data.mode + ").");
          spoken[data.vote] = now;
        } else if (before.voted !== data.voted && now - (spoken[data.vote] || 0) >= PROGRESS_EVERY_MS) {
          say("Vote " + data.vote + ": " + data.voted + " of " + data.entitled + " have voted.");
          spoken[data.vote] = now;
        }
      } else if (name === "result" && before === undefined && loaded) {
        var c = data.counts || {};
        say(
          "Vote " + data.vote + " " + (data.carried ? "carried" : "lost") + ": " +
            (c["for"] || 0) + " for, " + (c.against || 0) + " against, " +
            (c.abstain || 0) + " abstaining."
        );
      }
    }

    function update(name, data) {
      var start = prefix(name, data);
      if (name === "vote") ensureVote(root, data.vote);
      each(root, "data-live", start, function (element, path) {
        var value = lookup(data, path);
        var tag = element.tagName;
        if (tag === "PROGRESS" || tag === "METER") {
          if (typeof value === "number") element.value = value;
        } else {
          element.textContent = text(element, value);
        }
      });
      each(root, "data-live-max", start, function (element, path) {
        var max = lookup(data, path);
        if (typeof max === "number" && max > 0) element.max = max;
      });
      if (name === "vote" || name === "result") {
        var holders = root.querySelectorAll('[data-live-vote="' + data.vote + '"]');
        for (var i = 0; i < holders.length; i++) {
          holders[i].setAttribute("data-status", data.status);
        }
      }
      speak(name, data, last[start]);
      last[start] = data;
      if (name === "head") loaded = true;
    }

    var source = new EventSource(url);
    EVENTS.forEach(function (name) {
      source.addEventListener(name, function (event) {
        try {
          update(name, JSON.parse(event.data));
        } catch (err) {
          if (window.console) window.console.error("live.js: " + name, err);
        }
      });
    });
    source.addEventListener("open", function () { connection("live"); });
    source.addEventListener("error", function () {
      // EventSource reconnects by itself (after the stream's retry:), with Last-Event-ID.
      connection(source.readyState === EventSource.CLOSED ? "closed" : "reconnecting");
    });
    root.liveSource = source; // for the page's own scripts (and tests)
  }

  function start() {
    if (typeof EventSource === "undefined") return; // the page stays as served
    var roots = document.querySelectorAll("[data-live-source]");
    for (var i = 0; i < roots.length; i++) follow(roots[i]);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
