import { acknowledgeButton } from './acknowledge.js';
import { drawLagChart, drawOrderCharts } from './charts-panel.js';
import { $, badge, fill, format, h, label, time, tone } from './dom.js';

/** Draws each part of the dashboard query into its panels and the summary cards. */
export const render = {
  monitor(dashboard) {
    fill($('#services tbody'), dashboard.services.map((service) => h('tr', {},
      h('th', { scope: 'row' }, service.service),
      h('td', { title: service.error }, badge(label(service.status), tone[service.status])),
      h('td', { class: 'num' }, format.ms(service.responseTimeMs)),
      h('td', { class: 'num' }, format.percent(service.availability)))), 'No probe yet');
    // A grouped alert says how many sightings it covers (×320 rejected orders) and when the last was.
    fill($('#alerts .alerts'), dashboard.openAlerts.map((alert) => h('li', { class: `alert ${tone[alert.severity]}`, 'data-alert-id': alert.id },
      h('p', { class: 'alert-head' }, badge(label(alert.severity), tone[alert.severity]), ' ', h('strong', {}, label(alert.alertType)),
        alert.count > 1 ? [' ', h('span', { class: 'count', title: `seen ${alert.count} times` }, `×${format.integer(alert.count)}`)] : null,
        alert.state === 'ACKNOWLEDGED' ? h('span', { class: 'muted' }, ' · acknowledged') : null, ' ', time(alert.raisedAt),
        alert.count > 1 ? [h('span', { class: 'muted' }, ' · last '), time(alert.lastSeenAt)] : null,
        ' ', acknowledgeButton(alert)),
      h('p', { class: 'message' }, alert.message))), 'No open alerts');
    $('#alerts-title').replaceChildren('Open alerts ', h('span', { class: 'count' }, format.integer(dashboard.openAlertCount)));
    const { kafka } = dashboard;
    fill($('#kafka-topics tbody'), kafka.topics.map((topic) => h('tr', {},
      h('th', { scope: 'row' }, topic.topic),
      h('td', { class: 'num' }, format.integer(topic.messages)),
      h('td', { class: 'num' }, format.decimal(topic.throughputPerSecond)))), 'No topics');
    fill($('#kafka-groups tbody'), kafka.consumerGroups.map((group) => h('tr', {},
      h('th', { scope: 'row' }, group.groupId),
      h('td', {}, group.state),
      h('td', { class: `num${group.lag > 0 ? ' warn-text' : ''}` }, format.integer(group.lag)))), 'No consumer groups');
    $('#generated-at').replaceWith(Object.assign(time(dashboard.generatedAt), { id: 'generated-at' }));
    const healthy = dashboard.services.filter((service) => service.status === 'HEALTHY').length;
    const total = dashboard.services.length;
    summary.set('services', `${healthy} / ${total}`, healthy === total ? 'ok' : 'bad', 'healthy');
    summary.set('alerts', format.integer(dashboard.openAlertCount), dashboard.openAlertCount > 0 ? 'warn' : 'ok');
    summary.set('messages', format.integer(kafka.totalMessages));
    summary.set('dead-letters', format.integer(kafka.deadLetters), kafka.deadLetters > 0 ? 'bad' : 'ok');
    drawLagChart(dashboard.consumerLag);
  },
  orders({ orderStats: stats, orderTimeline }) {
    drawOrderCharts(orderTimeline);
    const widest = Math.max(1, ...stats.byStatus.map((entry) => entry.count));
    fill($('#orders .bars'), stats.byStatus.map((entry) => h('li', {},
      h('span', { class: 'bar-label' }, label(entry.status)),
      bar(entry.count / widest, tone[entry.status]),
      h('span', { class: 'num' }, format.integer(entry.count)))), 'No orders yet');
    fill($('#orders tbody'), stats.topProducts.map((sales) => h('tr', {},
      h('th', { scope: 'row' }, sales.product.name ?? `#${sales.product.id}`),
      h('td', { class: 'num' }, format.integer(sales.quantity)),
      h('td', { class: 'num' }, format.money(sales.revenue)))), 'No confirmed sales yet');
    summary.set('orders', format.integer(stats.totalOrders));
    summary.set('revenue', format.money(stats.confirmedSellRevenue), undefined, `average ${format.money(stats.averageOrderValue)}`);
  },
  inventory(dashboard) {
    fill($('#low-stock tbody'), dashboard.lowStockProducts.map((product) => h('tr', {},
      h('th', { scope: 'row' }, product.name),
      h('td', { class: `num ${product.stockQuantity === 0 ? 'bad-text' : 'warn-text'}` }, format.integer(product.stockQuantity)),
      h('td', { class: 'num' }, format.integer(product.minStockLevel)))), 'Every product is above its minimum');
    summary.set('products', format.integer(dashboard.productCount));
    summary.set('low-stock', format.integer(dashboard.lowStockProducts.length), dashboard.lowStockProducts.length > 0 ? 'warn' : 'ok');
  },
};

function bar(share, barTone) {
  const filled = h('span', { class: `fill ${barTone}` });
  filled.style.width = `${Math.round(share * 100)}%`;
  return h('span', { class: 'bar', 'aria-hidden': true }, filled);
}

export const summary = {
  cards: [
    ['services', 'Services'], ['alerts', 'Open alerts'], ['orders', 'Orders'], ['revenue', 'Confirmed sales'],
    ['products', 'Products'], ['low-stock', 'Low stock'], ['messages', 'Kafka messages'], ['dead-letters', 'Dead letters'],
  ],
  init() {
    $('#summary').replaceChildren(...this.cards.map(([key, title]) =>
      h('div', { class: 'card', id: `card-${key}` }, h('dt', {}, title), h('dd', {}, '—'))));
  },
  set(key, value, cardTone, note) {
    const card = $(`#card-${key}`);
    card.dataset.tone = cardTone ?? '';
    card.querySelector('dd').replaceChildren(value, ...(note ? [h('small', {}, note)] : []));
  },
};
