/** Real-looking domains unrelated to the brands of the detection test: none may be a lookalike. */
export const UNRELATED_DOMAINS: readonly string[] = [
  'google.com', 'youtube.com', 'facebook.com', 'wikipedia.org', 'amazon.com', 'twitter.com', 'instagram.com', 'linkedin.com',
  'reddit.com', 'netflix.com', 'microsoft.com', 'apple.com', 'github.com', 'gitlab.com', 'stackoverflow.com', 'mozilla.org',
  'baidu.com', 'qq.com', 'weibo.com', 'sina.com.cn', '163.com', 'sohu.com', 'bilibili.com', 'zhihu.com',
  'douban.com', 'ctrip.com', 'meituan.com', 'pinduoduo.com', 'xiaomi.com', 'huawei.com', 'tencent.com', 'bytedance.com',
  'douyin.com', 'kuaishou.com', 'dianping.com', 'ele.me', 'suning.com', 'vip.com', 'dangdang.com', 'xiaohongshu.com',
  'iqiyi.com', 'youku.com', 'autohome.com.cn', 'csdn.net', 'cnblogs.com', 'jianshu.com', 'gov.cn', 'people.com.cn',
  'xinhuanet.com', 'chinadaily.com.cn', 'caixin.com', 'thepaper.cn', 'ifeng.com', 'hupu.com', 'smzdm.com', 'mi.com',
  'oppo.com', 'vivo.com', 'lenovo.com', 'haier.com', 'midea.com', 'gree.com', 'byd.com', 'nio.com',
  'bbc.co.uk', 'theguardian.com', 'nytimes.com', 'washingtonpost.com', 'reuters.com', 'bloomberg.com', 'ft.com', 'economist.com',
  'cnn.com', 'nbcnews.com', 'aljazeera.com', 'lemonde.fr', 'spiegel.de', 'elpais.com', 'corriere.it', 'asahi.com',
  'yahoo.co.jp', 'rakuten.co.jp', 'naver.com', 'daum.net', 'coupang.com', 'mercadolibre.com', 'ebay.com', 'etsy.com',
  'walmart.com', 'target.com', 'bestbuy.com', 'costco.com', 'ikea.com', 'zara.com', 'uniqlo.com', 'nike.com',
  'adidas.com', 'samsung.com', 'sony.com', 'nintendo.com', 'playstation.com', 'steampowered.com', 'epicgames.com', 'twitch.tv',
  'spotify.com', 'soundcloud.com', 'bandcamp.com', 'vimeo.com', 'dailymotion.com', 'flickr.com', 'pinterest.com', 'tumblr.com',
  'medium.com', 'substack.com', 'wordpress.org', 'blogger.com', 'wix.com', 'squarespace.com', 'shopify.com', 'bigcommerce.com',
  'stripe.com', 'paypal.com', 'visa.com', 'mastercard.com', 'americanexpress.com', 'chase.com', 'hsbc.com', 'barclays.co.uk',
  'icbc.com.cn', 'ccb.com', 'boc.cn', 'abchina.com', 'cmbchina.com', 'bankcomm.com', 'unionpay.com', 'wechat.com',
  'zoom.us', 'slack.com', 'discord.com', 'telegram.org', 'whatsapp.com', 'signal.org', 'line.me', 'kakao.com',
  'dropbox.com', 'box.com', 'notion.so', 'atlassian.com', 'trello.com', 'asana.com', 'figma.com', 'canva.com',
  'adobe.com', 'autodesk.com', 'oracle.com', 'ibm.com', 'intel.com', 'amd.com', 'nvidia.com', 'qualcomm.com',
  'cloudflare.com', 'fastly.com', 'akamai.com', 'digitalocean.com', 'heroku.com', 'vercel.com', 'netlify.com', 'render.com',
  'python.org', 'nodejs.org', 'rust-lang.org', 'golang.org', 'kernel.org', 'debian.org', 'ubuntu.com', 'archlinux.org',
  'npmjs.com', 'pypi.org', 'crates.io', 'rubygems.org', 'docker.com', 'kubernetes.io', 'apache.org', 'eclipse.org',
  'w3.org', 'ietf.org', 'unicode.org', 'icann.org', 'iana.org', 'letsencrypt.org', 'eff.org', 'archive.org',
  'booking.com', 'airbnb.com', 'expedia.com', 'tripadvisor.com', 'agoda.com', 'trip.com', 'qunar.com', 'fliggy.com',
  'uber.com', 'lyft.com', 'didiglobal.com', 'grab.com', 'gojek.com', 'deliveroo.co.uk', 'doordash.com', 'instacart.com',
  'coursera.org', 'edx.org', 'khanacademy.org', 'duolingo.com', 'quizlet.com', 'chegg.com', 'udemy.com', 'mooc.cn',
  'alice.github.io', 'example.blogspot.com', 'news.bbc.co.uk', 'mail.163.com', 'pan.baidu.com', 'map.qq.com', 'music.163.com', 'www.gov.uk',
];

/**
 * Ordinary names in Han, kana and Hangul (in their Unicode form), none of which holds a CJK
 * brand of the tests: CJK brands are looked for inside runs of CJK characters, and these must
 * not be taken for lookalikes by accident. The Japanese and Korean ones mix Han with kana or
 * Hangul, which is one writing system, not mixed scripts.
 */
export const UNRELATED_CJK_DOMAINS: readonly string[] = [
  '中国银行.cn', '北京大学.cn', '清华大学.cn', '人民网.cn', '新华网.cn', '百度.com', '微博.com', '腾讯.com',
  '东方财富.com', '携程旅行.com', '美团外卖.cn', '中华人民共和国.cn', '宝马汽车.cn', '天气预报.com', '网上商城.com', '商店.cn',
  'www.北京大学.cn', 'mail.腾讯.com', '日本語.jp', '日本語のドメイン.jp', '東京大学.jp', '東京タワー.jp', 'ヤフー.jp', '楽天市場.jp',
  'ニュース.jp', 'お名前.com', '한국어도메인.kr', '네이버.com', '카카오.com', '대한민국.kr', '서울대학교.kr', '한국.kr',
];
