import { checkAcknowledgeAllowed } from './acknowledge.js';
import { askForToken, authHeaders, initTokenForm } from './auth.js';
import { CHART_MINUTES } from './charts-panel.js';
import { $ } from './dom.js';
import { startFeeds } from './feeds.js';
import { render, summary } from './panels.js';

const REFRESH_EVERY_MS = 5000;

// The dashboard query in three parts, one per subgraph that contributes to it: when orders or
// inventory is down, its panel says so and the others (service health above all) still show.
const parts = {
  monitor: `query DashboardMonitor {
    dashboard {
      generatedAt openAlertCount
      services { service status responseTimeMs availability error }
      kafka { totalMessages deadLetters topics { topic messages throughputPerSecond } consumerGroups { groupId state lag } }
      openAlerts(limit: 20) { id alertType severity state message raisedAt count lastSeenAt }
      consumerLag(minutes: ${CHART_MINUTES}) { at groups { groupId lag } }
    }
  }`,
  orders: `query DashboardOrders {
    dashboard {
      orderStats {
        totalOrders confirmedSellRevenue averageOrderValue
        byStatus { status count }
        topProducts(limit: 5) { product { id name } quantity revenue }
      }
      orderTimeline(minutes: ${CHART_MINUTES}) { minute created confirmed rejected cancelled latencyP50Ms latencyP99Ms }
    }
  }`,
  inventory: `query DashboardInventory {
    dashboard { productCount lowStockProducts { id name stockQuantity minStockLevel } }
  }`,
};
const panelsOf = {
  monitor: ['#services', '#alerts', '#kafka', '#lag-chart'],
  orders: ['#orders', '#orders-chart', '#latency-chart'],
  inventory: ['#low-stock'],
};

async function query(text) {
  const response = await fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...authHeaders() },
    body: JSON.stringify({ query: text }),
  });
  const result = await response.json().catch(() => ({}));
  const unauthenticated = result.errors?.find((error) => error.extensions?.code === 'UNAUTHENTICATED');
  if (unauthenticated) askForToken(unauthenticated.message);
  if (!result.data?.dashboard) throw new Error(result.errors?.map((error) => error.message).join('; ') || `HTTP ${response.status}`);
  return result.data.dashboard;
}

const requested = { monitor: 0, orders: 0, inventory: 0 };
const problems = new Map();

async function refresh() {
  await Promise.all(Object.entries(parts).map(async ([part, text]) => {
    const mine = ++requested[part];
    let dashboard;
    try {
      dashboard = await query(text);
    } catch (error) {
      if (mine === requested[part]) showProblem(part, error.message);
      return;
    }
    if (mine !== requested[part]) return; // a newer answer is on its way or already shown
    render[part](dashboard);
    showProblem(part, undefined);
  }));
}

/** A part that cannot be refreshed keeps its last figures, dimmed, and is named in the banner. */
function showProblem(part, message) {
  if (message) problems.set(part, message);
  else problems.delete(part);
  for (const selector of panelsOf[part]) {
    const panel = $(selector);
    panel.setAttribute('aria-busy', 'false');
    panel.classList.toggle('stale', Boolean(message));
    if (message) panel.title = message;
    else panel.removeAttribute('title');
  }
  const banner = $('#problem');
  banner.hidden = problems.size === 0;
  banner.textContent = problems.size === 0 ? ''
    : `Some figures could not be refreshed (the last ones stay, dimmed). ${[...problems].map(([name, why]) => `${name}: ${why}`).join(' · ')}`;
}

let scheduled;
/** Live events change the figures: refresh soon, once for a burst of events. */
function refreshSoon() {
  clearTimeout(scheduled);
  scheduled = setTimeout(refresh, 300);
}

initTokenForm();
summary.init();
startFeeds(refreshSoon);
// A change made from this page (an acknowledgement) refreshes at once: that makes an answer already
// in flight, read before the change, too old to draw over it (it brought the button back).
document.addEventListener('dashboard:changed', () => refresh());
checkAcknowledgeAllowed(refresh);
refresh();
setInterval(refresh, REFRESH_EVERY_MS);
